import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { toInbound, WEB_CHANNEL } from '../../adapters/web/index.ts';
import { postJson, repoRoot, say, startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';

const echoFlows = path.join(repoRoot, 'test/fixtures/flows-echo');

/** Opens the widget's socket and collects its frames; resolves with them once it closes or the history arrives. */
async function openSocket(url: string, conversationId: string) {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/webchat/socket?conversationId=${encodeURIComponent(conversationId)}`);
  const frames: any[] = [];
  let closeCode: number | undefined;
  socket.on('message', (data) => frames.push(JSON.parse(String(data))));
  socket.on('close', (code) => (closeCode = code));
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  await until(() => frames.length > 0 || closeCode !== undefined, Boolean, 'a first frame or the close');
  return { socket, frames, closed: () => closeCode };
}

/**
 * Issue 14, item 9: the web chat's conversation id is the conversation's only key, and the client chose it: `1` or
 * `order-42` were accepted, so whoever guessed such an id read the transcript and wrote as the customer. A new
 * conversation now needs a random id (or the server issues one); conversations that already exist keep theirs.
 */
describe('web chat conversation ids', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ FLOWS_DIR: echoFlows, WEBCHAT_WEAK_IDS: 'false' });
  });
  afterAll(async () => t?.close());

  it.each(['1', 'order-42', 'a'.repeat(31), 'conv.with.dots-and-colons:0000000000000000000000'])(
    'refuses a new conversation under the guessable id %s over HTTP (400, nothing stored) and over the WebSocket',
    async (conversationId) => {
      const response = await postJson(`${t.url}/api/webchat/messages`, { conversationId, messageId: 'm1', text: 'hello' });
      expect(response.status).toBe(400);
      expect(response.json.error).toMatchObject({ code: 'BAD_REQUEST' });
      expect(response.json.error.message).toMatch(/random id/);
      expect(await t.app.inbox.history(WEB_CHANNEL, conversationId)).toEqual([]);

      const ws = await openSocket(t.url, conversationId);
      await until(() => ws.closed(), (code) => code !== undefined, 'the socket to close');
      expect(ws.closed()).toBe(1008);
      expect(ws.frames).toEqual([expect.objectContaining({ type: 'error', code: 'BAD_REQUEST' })]);
      expect(await t.app.inbox.history(WEB_CHANNEL, conversationId)).toEqual([]);
    },
  );

  it('accepts a random UUID and 32+ characters of A-Z a-z 0-9 _ -', async () => {
    for (const conversationId of [randomUUID(), 'Q9x_-' + randomUUID().replaceAll('-', '')]) {
      expect((await say(t.url, conversationId, 'm1', { text: 'hello' })).replies.map((r) => r.text)).toEqual(['Next?']);
    }
  });

  it('issues an id on POST /api/webchat/conversations, and that id works on both endpoints', async () => {
    const issued = await fetch(`${t.url}/api/webchat/conversations`, { method: 'POST' });
    expect(issued.status).toBe(201);
    const { conversationId } = (await issued.json()) as { conversationId: string };
    expect(conversationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await say(t.url, conversationId, 'm1', { text: 'hello' });
    const ws = await openSocket(t.url, conversationId);
    expect(ws.frames[0]).toMatchObject({ type: 'history' });
    expect(ws.frames[0].messages).toHaveLength(2);
    ws.socket.close();
  });

  it('a conversation that existed before keeps working under its old id', async () => {
    const conversationId = `order-${Date.now()}`;
    // As written by a Parley that still accepted any id.
    await t.app.inbox.receive(toInbound(conversationId, { messageId: 'old-1', text: 'hello' }, new Date()));
    const next = await say(t.url, conversationId, 'm2', { text: 'blue' });
    expect(next.replies.map((r) => r.text)).toEqual(['got blue', 'Next?']);
    const ws = await openSocket(t.url, conversationId);
    expect(ws.frames[0]).toMatchObject({ type: 'history' });
    ws.socket.send(JSON.stringify({ type: 'message', messageId: 'm3', text: 'red' }));
    await until(() => ws.frames.some((f) => f.type === 'ack' && f.messageId === 'm3'), Boolean, 'the ack');
    ws.socket.close();
  });
});
