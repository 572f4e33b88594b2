import { randomUUID } from 'node:crypto';
import net from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

/**
 * Issue 14, item 11: a request body that trickles in (a byte now and then, or never the rest) held its connection and
 * its handler open for as long as the client liked. Now a request must have arrived within HTTP_REQUEST_TIMEOUT_MS
 * (here 1 s): past it, 408 and the connection is closed. Open WebSockets are not requests and stay up.
 */
describe('slow request bodies', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ HTTP_REQUEST_TIMEOUT_MS: '1000' });
    port = Number(new URL(t.url).port);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Sends the head of a POST and then one byte of its body every 200 ms; resolves with what the server answered. */
  function trickle(): Promise<{ answer: string; ms: number }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`POST /api/webchat/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{`);
      });
      const drip = setInterval(() => socket.writable && socket.write(' '), 200);
      const give = setTimeout(() => reject(new Error('the server was still waiting after 8 s')), 8000);
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => {
        clearInterval(drip);
        clearTimeout(give);
        resolve({ answer, ms: Date.now() - started });
      });
      socket.on('error', () => {});
    });
  }

  it('answers a body that trickles in with 408 and closes the connection, soon after the limit', async () => {
    const { answer, ms } = await trickle();
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer.slice(answer.indexOf('\r\n\r\n') + 4)).toBe('{"error":{"code":"REQUEST_TIMEOUT","message":"the request did not arrive in time"}}');
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(4000);
  });

  it('keeps an open WebSocket working well past the limit', async () => {
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=${randomUUID()}`);
    const frames: any[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.send(JSON.stringify({ type: 'message', messageId: 'm1', text: 'hello' }));
    const started = Date.now();
    while (!frames.some((frame) => frame.type !== 'error' && JSON.stringify(frame).includes('m1')) && Date.now() - started < 10_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.filter((frame) => frame.type === 'error')).toEqual([]);
    socket.close();
  });

  it('a request that arrives in time is answered as before, on a connection kept alive longer than the limit', async () => {
    const first = await fetch(`${t.url}/healthz`);
    expect(first.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
