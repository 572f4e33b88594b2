/**
 * Group commit (issue 19): the statements callers issue while the database is busy with others are sent together
 * as one multi-statement query, which PostgreSQL runs as one transaction — one call into PGlite and one commit for
 * all of them instead of one each. Groups grow with the load, as a database's own group commit
 * does; a lone statement does not wait (only for the others of the same synchronous run), and at most `inFlight`
 * groups run at once.
 *
 * All or nothing: a group that fails was rolled back whole, so each of its statements runs again alone and only the
 * failing one's caller sees its error; none runs twice (on PGlite a group's failure is always an SQL error, after
 * which nothing of it is left). Each caller awaits its own statement, so the statements of one conversation (issued one after another under
 * its lock) keep their order.
 */
export function statementGroups<S, R>(options: {
  runAlone: (statement: S) => Promise<R>;
  /** Runs the statements as one transaction; resolves with one result per statement, in order. */
  runGroup: (statements: S[]) => Promise<R[]>;
  maxSize: number;
  inFlight: number;
}): (statement: S) => Promise<R> {
  const waiting: { statement: S; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  let running = 0;
  let scheduled = false;

  const alone = async (call: (typeof waiting)[number]) => {
    try {
      call.resolve(await options.runAlone(call.statement));
    } catch (error) {
      call.reject(error);
    }
  };
  const run = async (group: typeof waiting) => {
    if (group.length === 1) return alone(group[0]!);
    let results: R[];
    try {
      results = await options.runGroup(group.map((call) => call.statement));
    } catch {
      for (const call of group) await alone(call);
      return;
    }
    group.forEach((call, i) => call.resolve(results[i]!));
  };
  const flush = () => {
    scheduled = false;
    while (running < options.inFlight && waiting.length > 0) {
      const group = waiting.splice(0, options.maxSize);
      running++;
      void run(group).finally(() => {
        running--;
        schedule();
      });
    }
  };
  const schedule = () => {
    if (scheduled || running >= options.inFlight || waiting.length === 0) return;
    scheduled = true;
    queueMicrotask(flush);
  };

  return (statement) => new Promise<R>((resolve, reject) => {
    waiting.push({ statement, resolve, reject });
    schedule();
  });
}
