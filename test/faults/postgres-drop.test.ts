import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { createTestDatabase, POSTGRES_ADMIN_URL } from '../support/postgres.ts';
import { expectAnsweredOnce, expectHandoffsDelivered, faultFlows, planStream, runStream } from './support.ts';

/**
 * PostgreSQL drops the app's connections (pg_terminate_backend from an admin connection, as a failover or a
 * restarted pooler does) three times while customers are writing: the pool opens new connections, what was refused
 * is sent again by the widgets, and nothing is lost or answered twice.
 */
describe('PostgreSQL connections dropped mid-stream', () => {
  let t: TestApp;
  let database: { url: string; drop(): Promise<void> };
  const prefix = freshPrefix();

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({
      DATABASE_URL: database.url, FLOWS_DIR: faultFlows, FLOWS_WATCH: 'false', KB_WATCH: 'false', HANDOFF_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await t?.close();
    await dropPrefix(prefix);
    await database?.drop();
  });

  it('the pool recovers; every message is answered exactly once, in order; every handoff delivered', { timeout: 90_000 }, async () => {
    const name = new URL(database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    const terminate = async () =>
      (await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()) t',
        [name],
      )).rows[0]!.n;
    const tag = `pg-${Date.now().toString(36)}`;
    const plan = planStream(tag, 40, 10);
    const dropped: number[] = [];
    try {
      const { answers, failures } = await runStream(plan, () => [t.url], 20, async (answered) => {
        if ([60, 160, 260].includes(answered)) dropped.push(await terminate());
      });
      expect(dropped).toHaveLength(3);
      expect(dropped.every((n) => n > 0)).toBe(true);
      expect(failures).toBeGreaterThan(0);
      await expectAnsweredOnce(database.url, tag, plan, answers);
      await expectHandoffsDelivered(database.url, tag, plan, { host: '127.0.0.1', port: 6379 }, prefix);
      // The app is healthy again, on new connections.
      await until(async () => (await fetch(`${t.url}/healthz`)).status, (status) => status === 200, 'the app to be healthy');
    } finally {
      await admin.end();
    }
  });
});
