import path from 'node:path';
import { Queue } from 'bullmq';
import pg from 'pg';
import { expect } from 'vitest';
import { until } from '../support/poll.ts';

export const faultFlows = path.join(import.meta.dirname, 'fixtures/flows');
export const HANDOFF_TEXT = 'agent';
export const HANDOFF_REPLY = 'Passing you to a colleague.';

export { kill, startRedis } from '../support/redis-server.ts';

export interface Reply {
  id: string;
  text: string;
}

export interface Sent {
  replies: Reply[];
  duplicate: boolean;
  /** Answers other than 200 (or network errors) before the message got through. */
  failures: string[];
}

/**
 * Sends one web chat message as the widget does when the server is unwell: the same message id again after a 5xx
 * or a dropped connection, with a short pause, until it gets a 200 (or the deadline passes). A 4xx is a bug.
 */
export async function sendRetrying(
  urls: string[], conversationId: string, messageId: string, text: string, { deadlineMs = 60_000, attempt = 0 } = {},
): Promise<Sent> {
  const failures: string[] = [];
  const deadline = Date.now() + deadlineMs;
  for (let i = attempt; ; i++) {
    const url = urls[i % urls.length]!;
    try {
      const response = await fetch(`${url}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId, messageId, text }),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await response.json()) as { duplicate: boolean; replies: Reply[] };
      if (response.status === 200) return { replies: body.replies, duplicate: body.duplicate, failures };
      if (response.status < 500) throw new Error(`${conversationId}/${messageId} answered ${response.status}: ${JSON.stringify(body)}`);
      failures.push(String(response.status));
    } catch (error) {
      if (error instanceof Error && / answered 4\d\d/.test(error.message)) throw error;
      failures.push(error instanceof Error ? error.name : String(error));
    }
    if (Date.now() > deadline) throw new Error(`${conversationId}/${messageId} never got through: ${failures.slice(-5).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
}

/** Runs `task` for every item, at most `concurrency` at a time. */
export async function pool<T>(items: T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await task(items[next++]!);
    }),
  );
}

export interface StreamPlan {
  conversations: string[];
  /** What each conversation says, in order. */
  messages: Map<string, { messageId: string; text: string }[]>;
}

/**
 * `count` conversations of `perConversation` messages each (`m0`, `m1`, …); every `handoffEvery`-th conversation
 * ends by asking for a person. Ids carry `tag`, so runs never collide.
 */
export function planStream(tag: string, count: number, perConversation: number, handoffEvery = 10): StreamPlan {
  const conversations = Array.from({ length: count }, (_, i) => `${tag}-c${i}`);
  const messages = new Map(
    conversations.map((c, i) => [
      c,
      Array.from({ length: perConversation }, (_, k) => ({
        messageId: `m${k}`,
        text: i % handoffEvery === 0 && k === perConversation - 1 ? HANDOFF_TEXT : `${c} m${k}`,
      })),
    ]),
  );
  return { conversations, messages };
}

/**
 * Runs the plan: each conversation is one customer who sends their next message once the last one was answered (as
 * the widget does); `concurrency` customers write at once. `afterEach` runs after every answered message.
 */
export async function runStream(
  plan: StreamPlan, urls: () => string[], concurrency: number, afterEach: (answered: number) => Promise<void> | void = () => {},
): Promise<{ answers: Map<string, Sent[]>; failures: number }> {
  const answers = new Map<string, Sent[]>();
  let answered = 0;
  let failures = 0;
  await pool(plan.conversations, concurrency, async (conversationId) => {
    const list: Sent[] = [];
    answers.set(conversationId, list);
    for (const [k, message] of plan.messages.get(conversationId)!.entries()) {
      const sent = await sendRetrying(urls(), conversationId, message.messageId, message.text, { attempt: k });
      failures += sent.failures.length;
      list.push(sent);
      await afterEach(++answered);
    }
  });
  return { answers, failures };
}

interface Row {
  id: string;
  conversation: string;
  direction: 'in' | 'out';
  external_id: string | null;
  text: string | null;
  status: string;
  in_reply_to: string | null;
}

/** Every message of the web conversations whose id starts with `tag`, read straight from PostgreSQL. */
export async function storedMessages(databaseUrl: string, tag: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<Row>(
      `SELECT m.id::text, c.external_id AS conversation, m.direction, m.external_id, m.text, m.status, m.in_reply_to::text
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.channel = 'web' AND c.external_id LIKE $1 ORDER BY m.id`,
      [`${tag}-%`],
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

/**
 * The promises of the stream, checked in the store and in what the customers got:
 * every message stored once and processed, in the order sent; each answered by exactly its own reply, once, in
 * order; the HTTP answers carried those replies; every reply delivered (sent), none pending or failed.
 */
export async function expectAnsweredOnce(databaseUrl: string, tag: string, plan: StreamPlan, answers: Map<string, Sent[]>): Promise<void> {
  let rows: Row[] = [];
  await until(
    async () => (rows = await storedMessages(databaseUrl, tag)),
    (list) => list.every((m) => m.direction === 'in' || m.status !== 'pending'),
    'every reply to be delivered',
    { timeoutMs: 30_000, intervalMs: 250 },
  ).catch((error: Error) => {
    const pending = rows.filter((m) => m.direction === 'out' && m.status === 'pending');
    throw new Error(`${error.message}: ${pending.length} still pending, e.g. ${JSON.stringify(pending.slice(0, 3))}`);
  });
  const byConversation = new Map<string, Row[]>();
  for (const row of rows) byConversation.set(row.conversation, [...(byConversation.get(row.conversation) ?? []), row]);
  expect(byConversation.size).toBe(plan.conversations.length);

  for (const conversationId of plan.conversations) {
    const sentMessages = plan.messages.get(conversationId)!;
    const stored = byConversation.get(conversationId)!;
    const inbound = stored.filter((m) => m.direction === 'in');
    // Stored once each, in the order sent, all processed.
    expect(inbound.map((m) => m.external_id), conversationId).toEqual(sentMessages.map((m) => `${conversationId}:${m.messageId}`));
    expect(inbound.every((m) => m.status === 'processed'), `${conversationId}: every message processed`).toBe(true);
    // Each message answered by its own reply, once, and the replies come in the order of the messages.
    const repliesOf = (inboundId: string) => stored.filter((m) => m.direction === 'out' && m.in_reply_to === inboundId);
    let lastReplyId = 0n;
    for (const [k, message] of sentMessages.entries()) {
      const replies = repliesOf(inbound[k]!.id);
      // A handoff's answer is the flow's line and the queue's notice (the customer's place in it).
      const expected = message.text === HANDOFF_TEXT ? [HANDOFF_REPLY, expect.stringMatching(/^A person from our team will be with you shortly/)] : [`got ${message.text}`];
      expect(replies.map((r) => r.text), `${conversationId}/${message.messageId}`).toEqual(expected);
      expect(BigInt(replies[0]!.id) > lastReplyId, `${conversationId}/${message.messageId} answered in order`).toBe(true);
      lastReplyId = BigInt(replies.at(-1)!.id);
      // What the customer's request got back is that reply (the first answer, or the same one again on a retry).
      expect(answers.get(conversationId)![k]!.replies.map((r) => r.text)).toEqual(expected);
      expect(answers.get(conversationId)![k]!.replies.map((r) => r.id)).toEqual(replies.map((r) => r.id));
    }
    const outbound = stored.filter((m) => m.direction === 'out');
    expect(outbound.filter((m) => m.status !== 'sent'), `${conversationId}: replies not delivered`).toEqual([]);
    const texts = outbound.map((m) => m.text);
    expect(new Set(texts).size, `${conversationId}: no reply twice`).toBe(texts.length);
  }
}

/**
 * One handoff per conversation that asked for a person, each announced on the desks and carried by its own
 * BullMQ job (job id = handoff id), completed once.
 */
export async function expectHandoffsDelivered(
  databaseUrl: string, tag: string, plan: StreamPlan, redis: { host: string; port: number }, prefix: string, timeoutMs = 30_000,
): Promise<void> {
  const asked = plan.conversations.filter((c) => plan.messages.get(c)!.some((m) => m.text === HANDOFF_TEXT));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let handoffs: { id: string; conversation: string; announced: boolean }[];
  try {
    handoffs = await until(
      async () => (await client.query<{ id: string; conversation: string; announced: boolean }>(
        `SELECT h.id, c.external_id AS conversation, h.announced_at IS NOT NULL AS announced
         FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE c.external_id LIKE $1`,
        [`${tag}-%`],
      )).rows,
      (rows) => rows.length >= asked.length && rows.every((h) => h.announced),
      'every handoff to be announced',
      { timeoutMs, intervalMs: 250 },
    );
  } finally {
    await client.end();
  }
  expect(handoffs.map((h) => h.conversation).sort()).toEqual([...asked].sort());
  const queue = new Queue('handoffs', { connection: redis, prefix });
  try {
    const states = await Promise.all(handoffs.map((h) => queue.getJobState(h.id)));
    expect(states).toEqual(handoffs.map(() => 'completed'));
    const counts = await queue.getJobCounts('completed', 'failed');
    expect(counts).toEqual({ completed: asked.length, failed: 0 });
  } finally {
    await queue.close();
  }
}
