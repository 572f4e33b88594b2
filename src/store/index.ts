export type * from './types.ts';
export { openStore, type OpenStoreOptions } from './open-store.ts';
export { SqlStore, TRANSCRIPT_DEFAULT_LIMIT, TRANSCRIPT_MAX_LIMIT } from './sql-store.ts';
export { TURN_CUSTOMER } from './types.ts';
export { openPgliteDb } from './pglite-db.ts';
export { openPostgresDb, type PostgresDbOptions } from './postgres-db.ts';
export { migrations, runMigrations, type Migration } from './migrations.ts';
