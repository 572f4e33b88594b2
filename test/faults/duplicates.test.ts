import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { faultFlows, pool } from './support.ts';

/** A channel (or a widget on a bad connection) delivering the same message 10,000 times, 64 at a time. */
describe('10,000 deliveries of the same message', () => {
  let t: TestApp;
  let database: { url: string; drop(): Promise<void> };
  const prefix = freshPrefix();

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await startTestApp({ DATABASE_URL: database.url, FLOWS_DIR: faultFlows, FLOWS_WATCH: 'false', KB_WATCH: 'false', HANDOFF_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await t?.close();
    await dropPrefix(prefix);
    await database?.drop();
  });

  it('make one turn and one reply, and every answer carries that reply', { timeout: 120_000 }, async () => {
    const conversationId = `dup-${Date.now().toString(36)}`;
    const body = JSON.stringify({ conversationId, messageId: 'the-one', text: 'hello there' });
    const answers: { status: number; duplicate: boolean; replies: { id: string; text: string }[] }[] = [];
    await pool(Array.from({ length: 10_000 }, (_, i) => i), 64, async () => {
      const response = await fetch(`${t.url}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      answers.push({ status: response.status, ...((await response.json()) as { duplicate: boolean; replies: { id: string; text: string }[] }) });
    });
    expect(answers).toHaveLength(10_000);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers.filter((a) => !a.duplicate)).toHaveLength(1);
    const first = answers[0]!.replies;
    expect(first.map((r) => r.text)).toEqual(['got hello there']);
    expect(answers.every((a) => a.replies.length === 1 && a.replies[0]!.id === first[0]!.id)).toBe(true);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = (await client.query<{ direction: string; status: string; text: string }>(
        `SELECT m.direction, m.status, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = $1 ORDER BY m.id`,
        [conversationId],
      )).rows;
      expect(rows.map((r) => [r.direction, r.text])).toEqual([['in', 'hello there'], ['out', 'got hello there']]);
      expect((await client.query<{ version: number }>('SELECT version FROM conversations WHERE external_id = $1', [conversationId])).rows[0]!.version).toBe(1);
    } finally {
      await client.end();
    }
  });
});
