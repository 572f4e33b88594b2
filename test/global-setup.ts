import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildWarmCaches } from './support/warm-caches.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

/**
 * The studio's, the workspace's, the admin pages' and the sign-in page's bundles as `npm install` builds them, from
 * the sources under test: the browser tests see these, not a bundle left from before. Once per run (a second or two
 * each, beside the warm caches) rather than once per browser test file.
 */
function buildPages(): Promise<unknown> {
  return Promise.all(['build-studio.mjs', 'build-workspace.mjs'].map((script) => promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts', script)])));
}

/** Once before the test files run (vitest.config.ts `globalSetup`). */
export default async function setup(): Promise<void> {
  await Promise.all([buildWarmCaches(), buildPages()]);
}
