/**
 * The database under a store, for a test's own statements: setting rows up and checking what Parley wrote. Parley's
 * code reaches it only through its modules' repositories (`store.repository`), and so does this.
 */
import type { Db, Store } from '../../src/store/types.ts';

export function sqlOf(store: Store): Db {
  return store.repository((db) => db);
}
