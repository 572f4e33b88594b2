import { accessSync, constants, statfsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { SlowestFirst } from './test/support/slowest-first.ts';

/**
 * Where the tests' temporary directories go: /dev/shm (memory) when it has room, else the system's. Each test app and
 * server starts from a copy of a migrated PGlite directory (about 1,100 files, 40 MB) that is removed after it; on a
 * disk, copying and removing it cost about 0.3 s of CPU and a second or two of waiting per app, in memory a sixth of
 * that. A TMPDIR set by whoever runs the tests is kept. Containers often have a small /dev/shm (64 MB): then the disk.
 */
function testTmpdir(): string | undefined {
  if (process.env.TMPDIR) return undefined;
  try {
    accessSync('/dev/shm', constants.W_OK);
    const { bavail, bsize } = statfsSync('/dev/shm');
    return bavail * bsize >= 2 * 1024 ** 3 ? '/dev/shm' : undefined;
  } catch {
    return undefined;
  }
}
const tmpdir = testTmpdir();

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'adapters/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    ...(tmpdir ? { env: { TMPDIR: tmpdir } } : {}),
    // Keeps what the demo app writes to start faster, once per checkout, for the apps and server processes tests start (test/support/warm-caches.ts).
    globalSetup: ['test/global-setup.ts'],
    // One module graph per worker instead of one per file: loading the app's modules again for each of 126 files
    // was most of the suite's time (whole `npm test` 10.7 min isolated, 7.2–8.0 min shared, 2026-12-06). Each file still
    // starts its own apps, databases and Redis prefixes, so nothing a test asserts on is shared.
    isolate: false,
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine. Most test files here
    // wait on child processes, Redis, PostgreSQL and sockets as much as they compute, so three run side by side
    // (on 2026-12-05 the whole suite took 10.6 min with two, 8.2 min with three).
    maxWorkers: 3,
    // The files that took longest start first (test/slowest-files.txt), so the three workers finish together.
    sequence: { sequencer: SlowestFirst },
  },
});
