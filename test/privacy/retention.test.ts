/**
 * Transcript retention on the real Redis and BullMQ: the job scheduler (one fixed id, however many processes
 * start it) runs the purge, which deletes old messages and unanswered questions and blanks old resolved handoffs'
 * transcripts, in batches, and leaves everything newer alone.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.ts';
import { CUSTOMER_DATA } from '../../src/customer-data.ts';
import { HandoffStore } from '../../src/handoff/handoff-store.ts';
import { PrivacyRepository } from '../../src/privacy/repository.ts';
import { purgeTranscripts, RETENTION_SCHEDULER_ID, RetentionJob } from '../../src/privacy/retention.ts';
import type { Db } from '../../src/store/index.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';
import { until } from '../support/poll.ts';
import { webApi } from '@slack/bolt';
import { slackDeskCopies } from '../../adapters/slack/desk-copies.ts';
import { SlackApi } from '../channels/slack/slack-api.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const logger = createLogger({ level: 'silent', redact: true });
const DAY = 86_400_000;

async function conversationWithHistory(db: Db, now: Date): Promise<string> {
  const customer = randomUUID();
  const conversation = randomUUID();
  await db.query('INSERT INTO customers (id) VALUES ($1)', [customer]);
  await db.query(`INSERT INTO conversations (id, channel, external_id, customer_id, address) VALUES ($1, 'web', $2, $3, '{}'::jsonb)`, [conversation, conversation, customer]);
  const insert = (text: string, daysAgo: number) =>
    db.query(`INSERT INTO messages (conversation_id, direction, channel, text, status, created_at) VALUES ($1, 'in', 'web', $2, 'processed', $3)`, [conversation, text, new Date(now.getTime() - daysAgo * DAY)]);
  for (let i = 0; i < 7; i++) await insert(`old message ${i}`, 40 + i);
  await insert('recent message', 2);
  const context = (text: string) => JSON.stringify({ version: 2, transcript: [{ id: '1', at: now.toISOString(), from: 'customer', text }], knowledge: [{ question: text }], summary: `asked: ${text}`, flow: { flow: 'human', vars: { email: 'a@example.org' } }, reason: `customer said "${text}"` });
  await db.query(`INSERT INTO handoffs (id, conversation_id, queue, trigger, reason, priority, status, context, created_at) VALUES ($1, $2, 'support', 'customer_request', 'customer said "old"', 3, 'resolved', $3::jsonb, $4)`,
    [randomUUID(), conversation, context('old'), new Date(now.getTime() - 50 * DAY)]);
  await db.query(`INSERT INTO kb_gaps (question, confidence, created_at) VALUES ('old gap', 0.1, $1), ('new gap', 0.1, $2)`, [new Date(now.getTime() - 45 * DAY), now]);
  return conversation;
}

describe('transcript retention', () => {
  let db: Db;
  const now = new Date();

  beforeAll(async () => {
    db = await openMigratedTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('deletes in batches what is older than the period, and nothing newer', async () => {
    const conversation = await conversationWithHistory(db, now);
    const counts = await purgeTranscripts(db, CUSTOMER_DATA, new Date(now.getTime() - 30 * DAY), 3);
    expect(counts).toEqual({ messages: 7, handoffContexts: 1, kbGaps: 1 });
    const messages = await db.query<{ text: string }>('SELECT text FROM messages WHERE conversation_id = $1', [conversation]);
    expect(messages.rows).toEqual([{ text: 'recent message' }]);
    const handoff = await db.query<{ reason: string; context: Record<string, unknown> }>('SELECT reason, context FROM handoffs WHERE conversation_id = $1', [conversation]);
    expect(handoff.rows[0]!.reason).toBe('customer_request');
    expect(handoff.rows[0]!.context).toMatchObject({ version: 2, transcript: [], knowledge: [], summary: '', reason: 'customer_request', flow: { flow: 'human', vars: {} } });
    expect((await db.query('SELECT question FROM kb_gaps')).rows).toEqual([{ question: 'new gap' }]);
    expect(await purgeTranscripts(db, CUSTOMER_DATA, new Date(now.getTime() - 30 * DAY), 3)).toEqual({ messages: 0, handoffContexts: 0, kbGaps: 0 });
  });

  it('runs as one BullMQ job scheduler, whichever process starts it, and is removed when retention is turned off', async () => {
    await db.query('DELETE FROM messages');
    await db.query('DELETE FROM kb_gaps');
    const conversation = await conversationWithHistory(db, now);
    const prefix = `{ptest-${randomBytes(4).toString('hex')}}`;
    const options = { repository: new PrivacyRepository(db), modules: CUSTOMER_DATA, redisUrl: REDIS_URL, prefix, days: 30, everyMs: 60_000, logger };
    const first = new RetentionJob(options);
    const second = new RetentionJob(options);
    const inspect = new Queue('privacy', { connection: { url: REDIS_URL }, prefix });
    try {
      await Promise.all([first.start(), second.start()]);
      expect((await inspect.getJobSchedulers()).map((s) => s.key)).toEqual([RETENTION_SCHEDULER_ID]);
      await until(() => db.query('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [conversation]), (r) => r.rows[0]!.n === 1, 'the scheduled purge', { timeoutMs: 15_000 });
      expect((await db.query('SELECT question FROM kb_gaps')).rows).toEqual([{ question: 'new gap' }]);
      expect(await inspect.getCompletedCount()).toBe(1);

      const off = new RetentionJob({ ...options, days: undefined });
      await off.start();
      await off.close();
      expect(await inspect.getJobSchedulers()).toEqual([]);
    } finally {
      await first.close();
      await second.close();
      await inspect.obliterate({ force: true }).catch(() => {});
      await inspect.close();
    }
  }, 30_000);

  it("deletes the Slack desk's messages of old resolved handoffs with their transcripts, once, and leaves newer and open ones", async () => {
    const slack = new SlackApi();
    const live = new Set(['C1:100.1', 'C1:100.2', 'C1:200.1', 'C1:300.1']);
    slack.respond = (call) => {
      if (call.method === 'conversations.replies') {
        // The old handoff's thread: its message and one line the app posted.
        const thread = call.args.ts === '100.1' ? ['100.1', '100.2'] : [call.args.ts];
        return { status: 200, body: { ok: true, messages: thread.filter((ts) => live.has(`C1:${ts}`)).map((ts) => ({ ts })) } };
      }
      if (call.method === 'chat.delete') live.delete(`${call.args.channel}:${call.args.ts}`);
      return undefined;
    };
    await slack.start();
    const conversation = await conversationWithHistory(db, now);
    const handoff = (status: string, daysAgo: number, ref: string) => db.query(
      `INSERT INTO handoffs (id, conversation_id, queue, trigger, reason, priority, status, context, desk_refs, created_at)
       VALUES ($1, $2, 'support', 'customer_request', 'r', 3, $3, '{"version": 2, "transcript": []}'::jsonb, jsonb_build_object('slack', $4::text), $5)`,
      [randomUUID(), conversation, status, ref, new Date(now.getTime() - daysAgo * DAY)]);
    await handoff('resolved', 40, 'C1:100.1');
    await handoff('resolved', 2, 'C1:200.1');
    await handoff('waiting', 40, 'C1:300.1');
    const job = new RetentionJob({ repository: new PrivacyRepository(db), modules: CUSTOMER_DATA, deskRefs: new HandoffStore(db), redisUrl: REDIS_URL, prefix: '{ptest-unused}', days: 30, logger, now: () => now,
      handoffCopies: [slackDeskCopies(new webApi.WebClient('xoxb-test', { slackApiUrl: slack.url }))] });
    try {
      expect((await job.runOnce()).deskMessages).toBe(2);
      expect([...live].sort()).toEqual(['C1:200.1', 'C1:300.1']);
      // Done once: the old handoff no longer points at Slack, and the next run asks Slack nothing.
      const calls = slack.calls.length;
      expect((await job.runOnce()).deskMessages).toBe(0);
      expect(slack.calls.length).toBe(calls);
    } finally {
      await job.close();
      await slack.close();
    }
  });
});
