/**
 * Calls made at about the same time, run as one: `run(key)` calls are collected and handed to `runAll` together
 * (one SQL statement, one Redis command, instead of one per key). One batch runs at a time: the calls that arrive
 * while it runs make up the next one, so batches grow with the load (as a database's group commit does) and a lone
 * call does not wait (only for the calls of the same synchronous run, which join it). Each caller gets its own key's result; when `runAll` fails, every
 * caller of that batch fails with its error, so each can retry as it would have alone. A batch holds at most
 * `maxSize` keys.
 */
export function batched<K, V>(runAll: (keys: K[]) => Promise<Map<K, V>>, options: { maxSize?: number } = {}): (key: K) => Promise<V | undefined> {
  const maxSize = options.maxSize ?? 500;
  let waiting: { key: K; resolve: (value: V | undefined) => void; reject: (error: unknown) => void }[] = [];
  let running = false;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    if (running || waiting.length === 0) return;
    const batch = waiting.splice(0, maxSize);
    running = true;
    runAll([...new Set(batch.map((call) => call.key))])
      .then(
        (results) => {
          for (const call of batch) call.resolve(results.get(call.key));
        },
        (error: unknown) => {
          for (const call of batch) call.reject(error);
        },
      )
      .finally(() => {
        running = false;
        schedule();
      });
  };
  const schedule = () => {
    if (scheduled || running || waiting.length === 0) return;
    scheduled = true;
    queueMicrotask(flush);
  };

  return (key) => new Promise<V | undefined>((resolve, reject) => {
    waiting.push({ key, resolve, reject });
    schedule();
  });
}
