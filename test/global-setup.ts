import { buildSentenceVectorsCache } from './support/sentence-vectors-cache.ts';

/** Once before the test files run (vitest.config.ts `globalSetup`). */
export default async function setup(): Promise<void> {
  await buildSentenceVectorsCache();
}
