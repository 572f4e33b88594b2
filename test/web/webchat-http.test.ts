import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, repoRoot, say, startTestApp, type TestApp } from '../support/app.ts';
import { sqlOf } from '../support/sql.ts';

const echoFlows = path.join(repoRoot, 'test/fixtures/flows-echo');

describe('POST /api/webchat/messages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ FLOWS_DIR: echoFlows });
  });
  afterAll(async () => t?.close());

  async function messageCount(): Promise<number> {
    const result = await sqlOf(t.app.store).query<{ n: string }>('SELECT count(*)::text AS n FROM messages');
    return Number(result.rows[0]?.n);
  }

  it('answers a message with the bot replies and their buttons', async () => {
    const result = await say(t.url, 'conv-answer', 'm1', { text: 'hello' });
    expect(result.duplicate).toBe(false);
    expect(result.replies.map((r) => r.text)).toEqual(['Next?']);
    const second = await say(t.url, 'conv-answer', 'm2', { text: 'blue' });
    expect(second.replies.map((r) => r.text)).toEqual(['got blue', 'Next?']);
  });

  it('answers a message delivered twice once, and returns the first answer to the second delivery', async () => {
    await say(t.url, 'conv-dup', 'm1', { text: 'start' });
    const before = await messageCount();
    const first = await say(t.url, 'conv-dup', 'm2', { text: 'once' });
    const again = await say(t.url, 'conv-dup', 'm2', { text: 'once' });
    expect(again.duplicate).toBe(true);
    expect(again.replies).toEqual(first.replies);
    expect(await messageCount()).toBe(before + 3);
  });

  it("tells the conversation's language with the replies and with the history, so a client shows its own text in it", async () => {
    // The browser says English; the customer writes German, and the bot follows what they write.
    const first = await postJson(`${t.url}/api/webchat/messages`, {
      conversationId: 'conv-lang', messageId: 'm1', text: 'Guten Tag, ich habe eine Frage zu meiner Bestellung', locale: 'en-US',
    });
    expect(first.json.locale).toBe('de');
    const history = await fetch(`${t.url}/api/webchat/conversations/conv-lang/messages`).then((r) => r.json());
    expect(history.locale).toBe('de');
    expect(history.messages.length).toBeGreaterThan(0);
    // A conversation that does not exist yet has no language to tell.
    const none = await fetch(`${t.url}/api/webchat/conversations/conv-lang-none/messages`).then((r) => r.json());
    expect(none).toEqual({ messages: [] });
  });

  it('keeps conversations apart even when their clients reuse message ids', async () => {
    await say(t.url, 'conv-x', 'same', { text: 'a' });
    const other = await say(t.url, 'conv-y', 'same', { text: 'b' });
    expect(other.duplicate).toBe(false);
  });

  it.each([
    ['invalid JSON', '{"conversationId": "c", ', /JSON/i],
    ['a missing conversationId', { messageId: 'm', text: 'hi' }, /conversationId/],
    ['a missing messageId', { conversationId: 'c-bad', text: 'hi' }, /messageId/],
    ['neither text nor payload', { conversationId: 'c-bad', messageId: 'm' }, /text or payload is required/],
    ['only whitespace', { conversationId: 'c-bad', messageId: 'm', text: '   ' }, /text or payload is required/],
    ['text over 4096 characters', { conversationId: 'c-bad', messageId: 'm', text: 'x'.repeat(4097) }, /at most 4096 characters/],
    ['binary content', { conversationId: 'c-bad', messageId: 'm', text: 'a\u0000b' }, /control characters/],
    ['a number for text', { conversationId: 'c-bad', messageId: 'm', text: 42 }, /text/],
    ['an unknown field', { conversationId: 'c-bad', messageId: 'm', text: 'hi', admin: true }, /admin/],
    ['a conversation id with a slash', { conversationId: '../etc', messageId: 'm', text: 'hi' }, /conversationId/],
  ])('refuses %s with 400 and a JSON error, storing nothing', async (_name, body, message) => {
    const before = await messageCount();
    const response = await postJson(`${t.url}/api/webchat/messages`, body);
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('BAD_REQUEST');
    expect(response.json.error.message).toMatch(message);
    expect(await messageCount()).toBe(before);
    expect(await t.app.store.findConversation('web', 'c-bad')).toBeNull();
  });

  it('refuses a body far over the limit with 413', async () => {
    const response = await postJson(`${t.url}/api/webchat/messages`, { conversationId: 'c', messageId: 'm', text: 'x'.repeat(100_000) });
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reports Redis and the database healthy on /healthz, with the channels that are on', async () => {
    const response = await fetch(`${t.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'ok' }, channels: ['web', 'botframework'] });
  });

  it('never writes what the customer said into the logs', async () => {
    const secret = 'my number is +49 151 23456789 and card 4111 1111 1111 1111';
    await say(t.url, 'conv-private', 'p1', { text: 'start' });
    await say(t.url, 'conv-private', 'p2', { text: secret });
    await postJson(`${t.url}/api/webchat/messages`, { conversationId: 'conv-private', messageId: 'p3', text: secret, extra: 1 });
    const logs = t.logs.join('');
    expect(logs).toContain('turn committed');
    // The card number as written and without its spaces ("4111" alone turns up in a logged duration, "ms":1.3411150…).
    expect(logs).not.toContain('4111 1111');
    expect(logs).not.toContain('41111111');
    expect(logs).not.toContain('23456789');
    expect(logs).not.toContain('got my number');
  });
});
