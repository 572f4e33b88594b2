import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPrefix } from '../handoff/support.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { freePort } from '../support/server-process.ts';
import { expectAnsweredOnce, expectHandoffsDelivered, faultFlows, kill, planStream, runStream, startRedis } from './support.ts';

/**
 * Redis stopped for five seconds in the middle of a stream of 1,000 web chat messages over 100 conversations,
 * served by two app instances sharing one Redis (the test's own redis-server, never the shared one) and one
 * PostgreSQL database. The customers' widgets send again what was refused (503) with the same message id.
 */
describe('Redis stopped for 5 s mid-stream', () => {
  let redis: ChildProcess;
  let redisPort: number;
  let redisDir: string;
  let database: { url: string; drop(): Promise<void> };
  const apps: TestApp[] = [];
  const prefix = freshPrefix();

  beforeAll(async () => {
    redisPort = await freePort();
    redisDir = mkdtempSync(path.join(tmpdir(), 'parley-redis-'));
    redis = await startRedis(redisPort, redisDir);
    database = await createTestDatabase();
    const env = {
      REDIS_URL: `redis://127.0.0.1:${redisPort}`, DATABASE_URL: database.url, FLOWS_DIR: faultFlows, FLOWS_WATCH: 'false',
      KB_WATCH: 'false', HANDOFF_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn',
      // A lock held when Redis died comes back with it (append-only file): it must not stall a conversation for 30 s.
      TURN_LOCK_TTL_MS: '2000',
    };
    apps.push(await startTestApp(env));
    apps.push(await startTestApp(env));
  });
  afterAll(async () => {
    for (const t of apps) await t.close().catch(() => {});
    await kill(redis);
    rmSync(redisDir, { recursive: true, force: true });
    await database?.drop();
  });

  it('every message is answered exactly once, in order, and every handoff reaches the queue', { timeout: 90_000 }, async () => {
    const tag = `redis-${Date.now().toString(36)}`;
    const plan = planStream(tag, 100, 10);
    let outage: Promise<void> | undefined;
    const { answers, failures } = await runStream(plan, () => apps.map((t) => t.url), 20, (answered) => {
      if (answered !== 400) return;
      outage = (async () => {
        await kill(redis);
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        redis = await startRedis(redisPort, redisDir);
      })();
    });
    await outage;
    // The outage was felt: customers were refused and sent again.
    expect(failures).toBeGreaterThan(0);

    await expectAnsweredOnce(database.url, tag, plan, answers);

    await expectHandoffsDelivered(database.url, tag, plan, { host: '127.0.0.1', port: redisPort }, prefix);
  });
});
