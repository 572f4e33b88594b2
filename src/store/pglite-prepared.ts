import type { PGlite, Results } from '@electric-sql/pglite';
import { sqlLiteral } from './sql-literal.ts';
import { statementGroups } from './statement-group.ts';
import { statementName } from './statement-name.ts';

/** Most statements one call into PGlite runs together. */
export const MAX_GROUP = 64;

/**
 * Prepared statements on PGlite: `query` parses and plans its statement every time (parse, describe, bind, describe,
 * execute, sync, all on the main thread), which for a turn's statements costs three times their execution. Here a
 * statement is prepared once (`PREPARE`, its parameters' types inferred as for `query`) and then run as
 * `EXECUTE name(literals…)`. Undefined when a parameter has no literal: the caller runs `query` instead.
 * The statements that arrive while PGlite runs others (other conversations' accepts, commits, sent marks) are run
 * together, in one call and one transaction (statement-group.ts).
 */
export function preparedQueries(pglite: PGlite): (sql: string, params: readonly unknown[]) => Promise<Results<unknown>> | undefined {
  const prepared = new Map<string, Promise<unknown>>();
  const execute = statementGroups<string, Results<unknown>>({
    runAlone: async (statement) => (await pglite.exec(statement)).at(-1)!,
    runGroup: (statements) => pglite.exec(statements.join(';\n')),
    maxSize: MAX_GROUP,
    // PGlite runs one call at a time: the next group forms while this one runs.
    inFlight: 1,
  });
  return (sql, params) => {
    const literals = params.map(sqlLiteral);
    if (literals.some((literal) => literal === undefined)) return undefined;
    const name = statementName(sql);
    let ready = prepared.get(name);
    if (!ready) {
      ready = pglite.exec(`PREPARE ${name} AS ${sql}`);
      // A statement that failed to prepare is tried again next time (and fails there as `query` would).
      ready.catch(() => prepared.delete(name));
      prepared.set(name, ready);
    }
    return ready.then(() => execute(`EXECUTE ${name}(${literals.join(', ')})`));
  };
}
