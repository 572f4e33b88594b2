import type { PGlite, Results } from '@electric-sql/pglite';
import { statementName } from './statement-name.ts';

/**
 * A parameter as an SQL literal of unknown type, which PostgreSQL reads as the type the prepared statement inferred
 * for it (as it reads a parameter's text); undefined for a value that has no such literal here (an object, an array
 * of arrays).
 * Standard-conforming strings (PostgreSQL's default, checked at open): a quote doubled is the only escape.
 */
export function sqlLiteral(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  const text = Array.isArray(value) ? arrayText(value) : scalarText(value);
  return text === undefined ? undefined : `'${text.replaceAll("'", "''")}'`;
}

function scalarText(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A one-dimensional array's text form (`{"a","b",NULL}`): each element quoted, its quotes and backslashes escaped. */
function arrayText(values: readonly unknown[]): string | undefined {
  const elements: string[] = [];
  for (const value of values) {
    if (value === null || value === undefined) {
      elements.push('NULL');
      continue;
    }
    const text = scalarText(value);
    if (text === undefined) return undefined;
    elements.push(`"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);
  }
  return `{${elements.join(',')}}`;
}

/**
 * Prepared statements on PGlite: `query` parses and plans its statement every time (parse, describe, bind, describe,
 * execute, sync, all on the main thread), which for a turn's statements costs three times their execution. Here a
 * statement is prepared once (`PREPARE`, its parameters' types inferred as for `query`) and then run as
 * `EXECUTE name(literals…)`. Undefined when a parameter has no literal: the caller runs `query` instead.
 */
export function preparedQueries(pglite: PGlite): (sql: string, params: readonly unknown[]) => Promise<Results<unknown>> | undefined {
  const prepared = new Map<string, Promise<unknown>>();
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
    return ready.then(async () => (await pglite.exec(`EXECUTE ${name}(${literals.join(', ')})`)).at(-1)!);
  };
}
