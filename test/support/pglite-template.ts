import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openPgliteDb, runMigrations, type Db } from '../../src/store/index.ts';
import { openMigratedMemoryDb } from '../../src/store/pglite-db.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const pgliteVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
/** Kept across runs (`npm ci` clears it with node_modules); initdb's output depends on nothing but PGlite's build. */
const cacheDir = path.join(repoRoot, 'node_modules/.cache/parley-tests');
const templateDir = path.join(cacheDir, `pglite-${pgliteVersion}-pgdata`);

/** An empty PGlite data directory after initdb, made once and never opened again (tests open copies). */
async function pgliteTemplate(): Promise<string> {
  if (existsSync(templateDir)) return templateDir;
  mkdirSync(cacheDir, { recursive: true });
  const building = mkdtempSync(path.join(cacheDir, 'building-'));
  const pglite = await PGlite.create(path.join(building, 'pgdata'));
  await pglite.close();
  try {
    renameSync(path.join(building, 'pgdata'), templateDir);
  } catch (error) {
    // Another test worker published its copy first: identical, so this one is dropped.
    if (!existsSync(templateDir)) throw error;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return templateDir;
}

/** Names a copy by the migrations' source: changing one makes another. */
const migrationsKey = () => createHash('sha256').update(readFileSync(path.join(repoRoot, 'src/store/migrations.ts'))).digest('hex').slice(0, 16);

/** The template with Parley's migrations applied. */
async function migratedTemplate(): Promise<string> {
  const migratedDir = `${templateDir}-migrated-${migrationsKey()}`;
  if (existsSync(migratedDir)) return migratedDir;
  const initialized = await pgliteTemplate();
  const building = mkdtempSync(path.join(cacheDir, 'building-'));
  try {
    cpSync(initialized, path.join(building, 'pgdata'), { recursive: true });
    const db = await openPgliteDb(building);
    try {
      await runMigrations(db);
    } finally {
      await db.close();
    }
    renameSync(path.join(building, 'pgdata'), migratedDir);
  } catch (error) {
    // Another test worker published its copy first: identical, so this one is dropped.
    if (!existsSync(migratedDir)) throw error;
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return migratedDir;
}

/**
 * Puts a PGlite database with Parley's schema and no rows where Parley looks for one (`<dataDir>/pgdata`), as if
 * Parley had started there once before. PGlite's first start in an empty directory runs initdb, seconds of CPU per
 * test app, and the migrations add a few tenths more; opening a copy takes a fraction of that. How the migrations
 * apply, once and also when two processes race, is the store contract's test (test/store/store-contract.test.ts);
 * tests about a first start in an empty directory leave their data directory unseeded.
 */
export async function seedPgliteDataDir(dataDir: string): Promise<void> {
  cpSync(await migratedTemplate(), path.join(dataDir, 'pgdata'), { recursive: true });
}

/**
 * An in-memory PGlite with Parley's schema and no rows, for tests that need a database but no data directory: loaded
 * from a migrated copy kept beside the template, as the simulator starts its own (openMigratedMemoryDb), in a quarter
 * of the CPU of creating one (initdb) and migrating it. The copy is made by the first test that asks for one.
 */
export function openMigratedTestDb(): Promise<Db> {
  return openMigratedMemoryDb(async (db) => void (await runMigrations(db)), path.join(cacheDir, `pglite-${pgliteVersion}-memory-${migrationsKey()}.tar.gz`));
}
