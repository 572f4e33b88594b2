import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, say, startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';

const echoFlows = path.join(repoRoot, 'test/fixtures/flows-echo');

describe('two server processes sharing PostgreSQL and Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { DATABASE_URL: database.url, FLOWS_DIR: echoFlows, LOG_LEVEL: 'warn' };
    a = await startTestApp(env);
    b = await startTestApp(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  it('runs the turns of one conversation strictly one at a time, each seeing the state the previous one left', async () => {
    const conversationId = `two-${Date.now()}`;
    await a.app.inbox.open({ channel: 'web', conversationId, userId: conversationId });
    const count = 40;
    // Both instances receive messages of the same conversation at the same time.
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => say(i % 2 === 0 ? a.url : b.url, conversationId, `m${i}`, { text: `n${i}` })),
    );
    for (const [i, result] of results.entries()) {
      expect(result.replies.map((r) => r.text)).toEqual([`got n${i}`, 'Next?']);
    }

    const conversation = await a.app.store.findConversation('web', conversationId);
    const transcript = await a.app.store.transcript(conversation!.id, { limit: 1000 });
    // The transcript reads as one conversation: every message followed by exactly its own two replies.
    expect(transcript).toHaveLength(1 + count * 3);
    for (let turn = 0; turn < count; turn++) {
      const [inbound, got, next] = transcript.slice(1 + turn * 3, 4 + turn * 3);
      expect(inbound?.direction).toBe('in');
      expect(got?.text).toBe(`got ${inbound?.text}`);
      expect(next?.text).toBe('Next?');
    }
    expect(conversation!.version).toBe(1 + count);
  });

  it('answers a message delivered to both instances once, and the second delivery gets the first answer', async () => {
    const conversationId = `dup-${Date.now()}`;
    await b.app.inbox.open({ channel: 'web', conversationId, userId: conversationId });
    const [first, second] = await Promise.all([
      say(a.url, conversationId, 'same-id', { text: 'hello' }),
      say(b.url, conversationId, 'same-id', { text: 'hello' }),
    ]);
    expect([first.duplicate, second.duplicate].sort()).toEqual([false, true]);
    expect(second.replies).toEqual(first.replies);
    const conversation = await a.app.store.findConversation('web', conversationId);
    const transcript = await a.app.store.transcript(conversation!.id);
    expect(transcript.filter((m) => m.direction === 'in')).toHaveLength(1);
    expect(transcript.map((m) => m.text)).toEqual(['Next?', 'hello', 'got hello', 'Next?']);
  });
});
