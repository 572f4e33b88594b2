import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingProxy, type Trip } from '../support/counting-proxy.ts';
import { say, startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { kill, startRedis } from '../support/redis-server.ts';
import { freePort } from '../support/server-process.ts';

/** What issue 19 allows a steady-state turn: one read, one write, the lock's two, delivery's one, and one spare. */
const MOST_ROUND_TRIPS = 6;

/**
 * Work the app does on its timers, whoever is writing, and the set-up of a new connection: not the turn's. The handoff
 * monitor and the outbox's sweep (SQL), BullMQ's workers (their connections and the queue's keys), the renewal of a
 * turn's lock (every TURN_LOCK_TTL_MS / 3, reached only by a turn slowed down by a busy machine), a pool's new
 * connection (PostgreSQL's startup message).
 */
const BACKGROUND = [
  /FROM handoffs|UPDATE handoffs|c\.mode = 'human'|status = 'pending' AND created_at </,
  /^(HELLO|CLIENT|INFO|BZPOPMIN|BRPOPLPUSH)\b|:handoffs:|^EVAL\(pexpire\) parley:lock:/,
  /^\(postgres\W*0000/,
];
const background = (trip: Trip) => trip.requests.every((request) => BACKGROUND.some((pattern) => pattern.test(request)));

/**
 * Round trips of one steady-state turn (a knowledge question in a web chat conversation that already exists, the
 * customer's second message), counted by proxies in front of PostgreSQL and of the test's own redis-server, from the
 * request until its replies are delivered and the turn's lock is let go. Counting is not timing: the count is exact
 * on a busy machine too.
 */
describe('round trips of a steady-state turn', () => {
  let redis: ChildProcess;
  let redisDir: string;
  let database: { url: string; drop(): Promise<void> };
  let direct: pg.Client;
  let app: TestApp;
  let redisProxy: CountingProxy;
  let postgresProxy: CountingProxy;

  beforeAll(async () => {
    const redisPort = await freePort();
    redisDir = mkdtempSync(path.join(tmpdir(), 'parley-trips-'));
    redis = await startRedis(redisPort, redisDir);
    redisProxy = new CountingProxy({ host: '127.0.0.1', port: redisPort }, 'redis');
    database = await createTestDatabase();
    const target = new URL(database.url);
    postgresProxy = new CountingProxy({ host: target.hostname, port: Number(target.port || 5432) }, 'postgres');
    const proxied = new URL(database.url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(await postgresProxy.listen());
    await redisProxy.listen();
    direct = new pg.Client({ connectionString: database.url });
    await direct.connect();
    app = await startTestApp({
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, DATABASE_URL: proxied.toString(), FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await app?.close();
    await direct?.end();
    await redisProxy?.close();
    await postgresProxy?.close();
    if (redis) await kill(redis);
    rmSync(redisDir, { recursive: true, force: true });
    await database?.drop();
  });

  /** Resolves once every reply to the inbound message `messageId` of the conversation was delivered. */
  async function delivered(conversationId: string, messageId: string): Promise<void> {
    await until(
      async () => (await direct.query<{ status: string }>(
        `SELECT r.status FROM messages r JOIN messages m ON r.in_reply_to = m.id JOIN conversations c ON c.id = m.conversation_id
         WHERE c.external_id = $1 AND m.external_id = $2`, [conversationId, `${conversationId}:${messageId}`])).rows,
      (rows) => rows.length > 0 && rows.every((row) => row.status === 'sent'),
      `the replies to ${messageId} to be delivered`, { intervalMs: 5 },
    );
  }

  it(`a knowledge question in a conversation that exists costs at most ${MOST_ROUND_TRIPS} round trips`, { timeout: 90_000 }, async () => {
    const conversationId = randomUUID();
    await say(app.url, conversationId, 'm1', { text: 'hello' });
    await delivered(conversationId, 'm1');
    // Whatever the first turn left behind (lock release, deliveries) is done before counting starts.
    await new Promise((resolve) => setTimeout(resolve, 300));

    redisProxy.start();
    postgresProxy.start();
    const answer = await say(app.url, conversationId, 'm2', { text: 'how long does the battery of the headphones last' });
    await delivered(conversationId, 'm2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const recorded = { postgres: postgresProxy.stop(), redis: redisProxy.stop() };
    const trips = { postgres: recorded.postgres.filter((trip) => !background(trip)), redis: recorded.redis.filter((trip) => !background(trip)) };

    expect(answer.replies.map((reply) => reply.text).join('\n')).toMatch(/hours/);
    const listing = (list: Trip[]) => list.map((trip) => `  #${trip.connection} ${trip.requests.join(' | ')}`).join('\n');
    const total = trips.postgres.length + trips.redis.length;
    console.log(`round trips of a steady-state turn: ${total} (PostgreSQL ${trips.postgres.length}, Redis ${trips.redis.length})\n`
      + `PostgreSQL:\n${listing(trips.postgres)}\nRedis:\n${listing(trips.redis)}`);
    expect(total, `PostgreSQL:\n${listing(trips.postgres)}\nRedis:\n${listing(trips.redis)}`).toBeLessThanOrEqual(MOST_ROUND_TRIPS);
  });
});
