import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WEB_CHANNEL } from '../../adapters/web/index.ts';
import { repoRoot, startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';

const echoFlows = path.join(repoRoot, 'test/fixtures/flows-echo');

/**
 * Issue 14, item 10: the public web chat had no rate limit, and a socket's queue was unbounded and kept being worked
 * after its client left. Each test speaks from its own client address (X-Forwarded-For, believed with TRUST_PROXY).
 */
describe('web chat rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      FLOWS_DIR: echoFlows, TRUST_PROXY: 'true', WEBCHAT_WEAK_IDS: 'false',
      WEBCHAT_ADDRESS_LIMIT: '40', WEBCHAT_CONVERSATION_LIMIT: '5', WEBCHAT_SOCKET_QUEUE: '2',
    }, {
      // The limits' clock stands still: a slow machine's turns must not refill a bucket between two of a test's messages.
      web: { rateClock: () => 0 },
    });
  });
  afterAll(async () => t?.close());

  let addresses = 0;
  const newAddress = () => `203.0.113.${++addresses}`;
  const post = (address: string, conversationId: string, messageId: string) =>
    fetch(`${t.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ conversationId, messageId, text: 'hi' }),
    });
  const inbound = async (conversationId: string) => (await t.app.inbox.history(WEB_CHANNEL, conversationId)).filter((m) => m.direction === 'in');

  async function openSocket(address: string, conversationId: string) {
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=${conversationId}`, { headers: { 'x-forwarded-for': address } });
    const frames: any[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    await until(() => frames.length, (n) => n > 0, 'the history frame');
    return { socket, frames };
  }

  it('answers 429 with Retry-After once a conversation is over its limit; other conversations go on', async () => {
    const address = newAddress();
    const conversationId = randomUUID();
    for (let i = 0; i < 5; i++) expect((await post(address, conversationId, `m${i}`)).status).toBe(200);
    const refused = await post(address, conversationId, 'm5');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(await inbound(conversationId)).toHaveLength(5);
    expect((await post(address, randomUUID(), 'm0')).status).toBe(200);
  });

  it('answers 429 with Retry-After once an address is over its limit, on every web chat endpoint and the socket handshake', async () => {
    const address = newAddress();
    for (let i = 0; i < 40; i++) {
      const response = await fetch(`${t.url}/api/webchat/conversations`, { method: 'POST', headers: { 'x-forwarded-for': address } });
      expect(response.status).toBe(201);
    }
    const conversationId = randomUUID();
    const refused = [
      await fetch(`${t.url}/api/webchat/conversations`, { method: 'POST', headers: { 'x-forwarded-for': address } }),
      await post(address, conversationId, 'm1'),
      await fetch(`${t.url}/api/webchat/conversations/${conversationId}/messages`, { headers: { 'x-forwarded-for': address } }),
    ];
    expect(refused.map((r) => r.status)).toEqual([429, 429, 429]);
    expect(refused.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    await expect(openSocket(address, conversationId)).rejects.toThrow(/429/);
    expect(await inbound(conversationId)).toEqual([]);
    // Another address is not held up.
    expect((await post(newAddress(), conversationId, 'm1')).status).toBe(200);
  });

  it('refuses frames over the conversation limit on the socket with an error frame naming the message', async () => {
    const conversationId = randomUUID();
    const { socket, frames } = await openSocket(newAddress(), conversationId);
    for (let i = 0; i < 7; i++) {
      socket.send(JSON.stringify({ type: 'message', messageId: `m${i}`, text: `hi ${i}` }));
      // One at a time, so the bounded queue is not what refuses them.
      await until(() => frames.filter((f) => f.type === 'ack' || f.type === 'error').length, (n) => n > i, `an answer to frame ${i}`);
    }
    const errors = frames.filter((f) => f.type === 'error');
    expect(errors.map((f) => f.messageId)).toEqual(['m5', 'm6']);
    expect(errors[0]).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(errors[0].error).toMatch(/try again/);
    expect(await inbound(conversationId)).toHaveLength(5);
    socket.close();
  });

  it("bounds a socket's queue: frames past it are refused at once", async () => {
    const conversationId = randomUUID();
    const { socket, frames } = await openSocket(newAddress(), conversationId);
    for (let i = 0; i < 5; i++) socket.send(JSON.stringify({ type: 'message', messageId: `m${i}`, text: `hi ${i}` }));
    await until(() => frames.filter((f) => f.type === 'ack' || f.type === 'error').length, (n) => n >= 5, 'an answer to every frame');
    const refused = frames.filter((f) => f.type === 'error');
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((f) => f.code === 'RATE_LIMITED' && /waiting/.test(f.error))).toBe(true);
    expect(await inbound(conversationId)).toHaveLength(5 - refused.length);
    socket.close();
  });

  it('works nothing of a socket that closed: frames still waiting are dropped', async () => {
    const conversationId = randomUUID();
    const { socket } = await openSocket(newAddress(), conversationId);
    for (let i = 0; i < 2; i++) socket.send(JSON.stringify({ type: 'message', messageId: `m${i}`, text: `hi ${i}` }));
    socket.close();
    await new Promise((resolve) => socket.once('close', resolve));
    // Long enough for both turns, had the second one been worked.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await inbound(conversationId)).length).toBeLessThanOrEqual(1);
  });
});
