import { ParleyError } from '../core/errors.ts';
import { openPgliteDb } from './pglite-db.ts';
import { describeError, openPostgresDb, redactUrl } from './postgres-db.ts';
import { SqlStore } from './sql-store.ts';
import type { Db } from './types.ts';

export interface OpenStoreOptions {
  /** PostgreSQL connection URL. When absent, Parley uses PGlite under `dataDir`. */
  databaseUrl?: string;
  /** Parley's data directory; PGlite keeps its files in `<dataDir>/pgdata`. */
  dataDir: string;
}

/**
 * Opens the store: PostgreSQL when `databaseUrl` is set, else PGlite under `dataDir`, with migrations applied.
 * The store is returned as the SqlStore the composition root holds (its `db` serves the embedded database's socket
 * and the tests); the parts get it as a `Store`, which hands no database out.
 * Any failure to reach or prepare the database is a ParleyError('DATABASE_UNAVAILABLE') with a one-line message.
 */
export async function openStore(options: OpenStoreOptions): Promise<SqlStore> {
  const where = options.databaseUrl
    ? `PostgreSQL at ${redactUrl(options.databaseUrl)}`
    : `the embedded database (PGlite) in ${options.dataDir}`;
  let db: Db | undefined;
  try {
    db = options.databaseUrl ? openPostgresDb(options.databaseUrl) : await openPgliteDb(options.dataDir);
    const store = new SqlStore(db);
    await store.migrate();
    return store;
  } catch (error) {
    await db?.close().catch(() => {});
    if (error instanceof ParleyError && error.code === 'DATABASE_UNAVAILABLE') throw error;
    throw new ParleyError('DATABASE_UNAVAILABLE', `Cannot open ${where}: ${describeError(error)}`, { cause: error });
  }
}
