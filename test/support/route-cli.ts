import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { seedWarmCaches } from './warm-caches.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * Runs `parley route` with `input` on its standard input and resolves with what it wrote, on a data directory of its
 * own that holds the sentence vectors a server on the demo kept (test/support/warm-caches.ts), as a user's beside
 * `parley start` does: the demo's texts are not encoded again for each run. Its decisions are the same either way.
 */
export async function runRoute(args: string[], input: string, env: Record<string, string> = {}): Promise<string> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-route-'));
  try {
    seedWarmCaches(dataDir);
    const child = promisify(execFile)(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'route', ...args], {
      cwd: repoRoot, env: { ...process.env, DATA_DIR: dataDir, ...env },
    });
    child.child.stdin!.end(input);
    return (await child).stdout;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
