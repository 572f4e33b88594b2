import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'adapters/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine. Most test files here
    // wait on child processes, Redis, PostgreSQL and sockets as much as they compute, so three run side by side
    // (on 2026-12-05 the whole suite took 10.6 min with two, 8.2 min with three).
    maxWorkers: 3,
  },
});
