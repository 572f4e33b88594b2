import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types, type Results, type Transaction } from '@electric-sql/pglite';
import { claimDataDir } from './data-dir-lock.ts';
import type { Db, Queryable, QueryResult } from './types.ts';

/** A PGlite instance or one of its transactions: both run `query` and `exec` the same way. */
type PgliteRunner = Pick<PGlite, 'query' | 'exec'> | Pick<Transaction, 'query' | 'exec'>;

function toResult<R>(result: Results<R> | undefined): QueryResult<R> {
  const rows = result?.rows ?? [];
  return { rows, rowCount: result?.rowCount ?? result?.affectedRows ?? rows.length };
}

/**
 * Like `pg`: a query with parameters is one prepared statement; a query without parameters may hold several
 * statements (migrations do), and the result is the last statement's.
 */
function runnerQueryable(runner: PgliteRunner): Queryable {
  return {
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      if (params && params.length > 0) return toResult(await runner.query<R>(sql, params));
      const results = await runner.exec(sql);
      return toResult(results.at(-1) as Results<R> | undefined);
    },
  };
}

/**
 * A Db over PGlite (PostgreSQL compiled to WASM), for the embedded default and fast tests.
 * Files live under `<dataDir>/pgdata` when `dataDir` is given; the database is in memory when it is not.
 *
 * PGlite runs one statement at a time on one connection. `transaction` uses PGlite's own transaction API, which
 * holds PGlite's lock for the whole callback, so other callers' queries wait instead of landing inside it.
 * Inside the callback, use only `tx`: a query on the Db itself would wait for the transaction and never run.
 * Only one process may open a given data directory at a time; a second one is refused (data-dir-lock.ts).
 */
export async function openPgliteDb(dataDir?: string): Promise<Db> {
  let location: string | undefined;
  let release = () => {};
  if (dataDir !== undefined) {
    location = path.join(dataDir, 'pgdata');
    await mkdir(location, { recursive: true });
    release = claimDataDir(location);
  }
  let pglite: PGlite;
  try {
    // int8 as a string, as `pg` returns it: message ids outgrow Number.MAX_SAFE_INTEGER in principle.
    pglite = await PGlite.create(location, { parsers: { [types.INT8]: (value: string) => value } });
  } catch (error) {
    release();
    throw error;
  }
  const direct = runnerQueryable(pglite);
  return {
    kind: 'pglite',
    query: direct.query,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => pglite.transaction((tx) => fn(runnerQueryable(tx))),
    close: async () => {
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
}
