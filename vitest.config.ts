import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'adapters/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine. Most test files here
    // wait on child processes, Redis, PostgreSQL and sockets as much as they compute, so two run side by side.
    maxWorkers: 2,
  },
});
