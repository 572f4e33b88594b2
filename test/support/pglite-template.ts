import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

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

/**
 * Puts an initialized, empty PGlite database where Parley looks for one (`<dataDir>/pgdata`), as if Parley had
 * started there once before the migrations. PGlite's first start in an empty directory runs initdb, seconds of CPU
 * per test app; opening a copy takes a fraction of that. Parley still applies every migration to the copy.
 * Tests about a first start in an empty directory leave their data directory unseeded.
 */
export async function seedPgliteDataDir(dataDir: string): Promise<void> {
  cpSync(await pgliteTemplate(), path.join(dataDir, 'pgdata'), { recursive: true });
}
