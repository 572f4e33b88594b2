import type { Config } from '../config.ts';
import { isParleyError, ParleyError } from '../core/errors.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/types.ts';

/** Opens the configured store for one command, runs `fn` on it, and closes it. */
export async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  let store: Store;
  try {
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    // The embedded database belongs to one process at a time: a running server holds it.
    if (isParleyError(error, 'DATABASE_UNAVAILABLE') && !config.databaseUrl) {
      throw new ParleyError('DATABASE_UNAVAILABLE', `${error.message}\n(is \`parley start\` running with the embedded database? stop it, or use DATABASE_URL)`);
    }
    throw error;
  }
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
