import { buildWarmCaches } from './support/warm-caches.ts';

/** Once before the test files run (vitest.config.ts `globalSetup`). */
export default async function setup(): Promise<void> {
  await buildWarmCaches();
}
