/** Polls `read` until `ok` accepts its value, and returns that value; fails naming `what` after `timeoutMs`. */
export async function until<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  what = 'a condition',
  { timeoutMs = 10_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
