import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite, types, type Results, type Transaction } from '@electric-sql/pglite';
import { claimDataDir } from './data-dir-lock.ts';
import { preparedQueries } from './pglite-prepared.ts';
import { keepStatisticsFresh } from './pglite-statistics.ts';
import { mayChangeTurnReads } from './turn-cache.ts';
import type { Db, Queryable, QueryOptions, QueryResult } from './types.ts';

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
export async function openPgliteDb(dataDir?: string, options: PgliteOptions = {}): Promise<Db> {
  return (await openPglite(dataDir, undefined, options)).db;
}

export interface PgliteOptions {
  /** How often the tables that changed are analysed (pglite-statistics.ts). Default STATISTICS_CHECK_MS. */
  statisticsEveryMs?: number;
}

async function openPglite(dataDir?: string, loadDataDir?: Blob, options: PgliteOptions = {}): Promise<{ db: Db; pglite: PGlite }> {
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
    pglite = await PGlite.create(location, { parsers: { [types.INT8]: (value: string) => value }, ...(loadDataDir ? { loadDataDir } : {}) });
  } catch (error) {
    release();
    throw error;
  }
  const direct = runnerQueryable(pglite);
  // Prepared statements are read through literals, whose only escape is a doubled quote under standard strings.
  const standard = (await pglite.query<{ on: string }>(`SELECT current_setting('standard_conforming_strings') AS on`)).rows[0]?.on === 'on';
  const prepared = standard ? preparedQueries(pglite) : undefined;
  // This process alone writes the database: what may have changed is counted when it starts and when it ends.
  let changes = 0;
  const counted = async <T>(run: () => Promise<T>): Promise<T> => {
    changes++;
    try {
      return await run();
    } finally {
      changes++;
    }
  };
  const db: Db = {
    kind: 'pglite',
    async query<R>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
      const execute = async () => {
        const run = options?.prepared && params ? prepared?.(sql, params) : undefined;
        return run ? toResult((await run) as Results<R>) : direct.query<R>(sql, params);
      };
      return options?.turnStatement || !mayChangeTurnReads(sql) ? execute() : counted(execute);
    },
    changes: () => changes,
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => counted(() => pglite.transaction((tx) => fn(runnerQueryable(tx)))),
    close: async () => {
      await statistics.stop();
      if (!pglite.closed) await pglite.close();
      release();
    },
  };
  // No autovacuum here: the tables that changed are analysed as it would (a failure is tried again next time).
  const statistics = keepStatisticsFresh(db, options.statisticsEveryMs === undefined ? {} : { everyMs: options.statisticsEveryMs });
  return { db, pglite };
}

/**
 * An in-memory database with its schema in place, for the simulator (`parley chat`, `parley flows test`): it starts
 * from a copy of a migrated database kept in `cacheFile` (made on first use, written whole or not at all), which is
 * several times faster than creating one and migrating it. A copy that cannot be read is made again.
 */
export async function openMigratedMemoryDb(migrate: (db: Db) => Promise<void>, cacheFile: string): Promise<Db> {
  const copy = await readFile(cacheFile).catch(() => undefined);
  if (copy) {
    const loaded = await openPglite(undefined, new Blob([copy])).catch(() => undefined);
    if (loaded) {
      await migrate(loaded.db);
      return loaded.db;
    }
  }
  const { db, pglite } = await openPglite();
  await migrate(db);
  try {
    const dump = new Uint8Array(await (await pglite.dumpDataDir('gzip')).arrayBuffer());
    await mkdir(path.dirname(cacheFile), { recursive: true });
    const partial = `${cacheFile}.${process.pid}.${Date.now()}`;
    await writeFile(partial, dump);
    await rename(partial, cacheFile);
  } catch {
    // Without a copy the next start migrates again: slower, not wrong.
  }
  return db;
}
