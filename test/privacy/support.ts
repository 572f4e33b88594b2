/**
 * Two customers with data in every place Parley keeps it (messages, a recorded knowledge gap, a handoff with its
 * context and its BullMQ job, outbox markers and handoff signals in Redis, a linked WhatsApp identity, a channel
 * reference, a data request), and a scan of every table and every Redis key for what identifies one of them.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from '../support/app.ts';
import { say } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { sqlOf } from '../support/sql.ts';

export interface Person {
  conversation: string;
  name: string;
  phone: string;
  whatsapp: string;
  email: string;
  /** Filled in by seed(). */
  customerId: string;
  conversationId: string;
  handoffId: string;
}

export function person(name: string, phone: string, whatsapp: string, email: string): Person {
  const tag = randomBytes(4).toString('hex');
  return { conversation: `${name.split(' ')[0]!.toLowerCase()}-conv-${tag}`, name, phone, whatsapp, email, customerId: '', conversationId: '', handoffId: '' };
}

/** What must be gone after erasing this person: every identifier, and words only they wrote. */
export function identifiers(p: Person): string[] {
  return [p.name, p.phone, p.phone.replace(/\s/g, ''), p.whatsapp, p.email, p.customerId, p.conversationId, p.conversation, p.handoffId, `unicorn saddles for ${p.name.split(' ')[0]}`];
}

/** A conversation in the demo shop: their details, an unanswerable question, a data request (erase only for `asksErase`), a person. */
export async function seed(t: TestApp, p: Person, options: { asksErase: boolean }): Promise<void> {
  await say(t.url, p.conversation, 'm1', { text: `Hi, I am ${p.name}, my number is ${p.phone} and my email ${p.email}` });
  await say(t.url, p.conversation, 'm2', { text: `do you sell unicorn saddles for ${p.name.split(' ')[0]}? write to ${p.email}` });
  if (options.asksErase) {
    const asked = await say(t.url, p.conversation, 'm3', { text: 'please delete my data' });
    expect(asked.replies.at(-1)!.buttons.map((b) => b.payload)).toEqual(['#privacy:erase', '#privacy:cancel']);
    const done = await say(t.url, p.conversation, 'm4', { payload: '#privacy:erase' });
    expect(done.replies.at(-1)!.text).toMatch(/^Thank you\. Your request to delete your data is with our team \(reference [0-9A-F]{8}\)/);
  }
  await say(t.url, p.conversation, 'm5', { text: 'talk to a person' });
  const conversation = await t.app.store.findConversation('web', p.conversation);
  p.conversationId = conversation!.id;
  p.customerId = conversation!.customerId;
  const db = sqlOf(t.app.store);
  // Announced: the handoff's BullMQ job has run (an erase removes finished jobs, not one a worker holds).
  const handoff = await until(
    () => db.query<{ id: string; announced_at: Date | null }>('SELECT id, announced_at FROM handoffs WHERE conversation_id = $1', [p.conversationId]),
    (r) => r.rows[0]?.announced_at != null,
    'the handoff to be announced',
    { timeoutMs: 20_000 },
  );
  p.handoffId = handoff.rows[0]!.id;
  await db.query("UPDATE customers SET display_name = $2 WHERE id = $1", [p.customerId, p.name]);
  await db.query("INSERT INTO identities (channel, external_id, customer_id, phone) VALUES ('whatsapp', $1, $2, $3)", [p.whatsapp, p.customerId, `+${p.whatsapp}`]);
  await db.query("INSERT INTO channel_references (channel, conversation_id, reference) VALUES ('web', $1, $2::jsonb)", [p.conversation, JSON.stringify({ user: { id: p.conversation, name: p.name } })]);
}

/** Every table and column (as text) and every row holding one of the strings: `table: string` pairs. */
export async function findInTables(t: TestApp, needles: readonly string[]): Promise<string[]> {
  const db = sqlOf(t.app.store);
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const found: string[] = [];
  for (const { table_name: table } of tables.rows) {
    const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
    for (const { row } of rows.rows) for (const needle of needles) if (row.includes(needle)) found.push(`${table}: ${needle}`);
  }
  return [...new Set(found)];
}

/** Every key under the prefixes whose name or value holds one of the strings: `key: string` pairs. */
export async function findInRedis(t: TestApp, prefixes: readonly string[], needles: readonly string[]): Promise<string[]> {
  const redis = t.app.redis.client;
  const found: string[] = [];
  for (const prefix of prefixes) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      const types = (await redis.pipeline(keys.map((key) => ['type', key])).exec())!.map(([, type]) => String(type));
      const reads = keys.map((key, i) => {
        switch (types[i]) {
          case 'string': return ['get', key];
          case 'hash': return ['hgetall', key];
          case 'list': return ['lrange', key, '0', '-1'];
          case 'set': return ['smembers', key];
          case 'zset': return ['zrange', key, '0', '-1'];
          case 'stream': return ['xrange', key, '-', '+'];
          default: return ['exists', key];
        }
      });
      const values = (await redis.pipeline(reads).exec())!.map(([, value]) => JSON.stringify(value ?? ''));
      keys.forEach((key, i) => {
        for (const needle of needles) if (key.includes(needle) || values[i]!.includes(needle)) found.push(`${key}: ${needle}`);
      });
    } while (cursor !== '0');
  }
  return [...new Set(found)];
}

export const uniquePrefix = () => `{ptest-${randomBytes(4).toString('hex')}}`;
export const ADMIN_TOKEN = 'privacy-test-admin-token-0123456789';
