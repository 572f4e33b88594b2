import type { Config } from '../config.ts';
import { isParleyError, ParleyError } from '../core/errors.ts';
import { connectDataDir } from '../store/data-dir-client.ts';
import { openStore } from '../store/open-store.ts';
import { SqlStore } from '../store/sql-store.ts';
import type { Store } from '../store/types.ts';

/**
 * Opens the configured store for one command, runs `fn` on it, and closes it. The embedded database belongs to one
 * process at a time: when a running server holds it, the command's statements go through that server instead
 * (src/store/data-dir-socket.ts), with the same results.
 */
export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openForCommand(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function openForCommand(config: Config): Promise<Store> {
  try {
    return await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (!isParleyError(error, 'DATABASE_UNAVAILABLE') || config.databaseUrl) throw error;
    // The server migrated the database when it opened it.
    const served = await connectDataDir(config.dataDir);
    if (served) return new SqlStore(served);
    throw new ParleyError('DATABASE_UNAVAILABLE', `${error.message}\n(is \`parley start\` running with the embedded database? it does not answer on ${config.dataDir}/control/db.sock: stop it, or use DATABASE_URL)`);
  }
}
