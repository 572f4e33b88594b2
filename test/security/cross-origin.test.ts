import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { ANA, collectFrames, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { ADA, AGENTS_WITH_ADMIN, sessionCookieOf } from './support.ts';

/**
 * Issue 14, item 7: state-changing console and admin requests (and the agent WebSocket handshake) relied on
 * SameSite=Strict alone, which lets a sibling port or subdomain of the same site through: a page on
 * http://127.0.0.1:<another port> could make a signed-in admin's browser erase a customer. Replayed with the headers
 * such a browser sends.
 */
const SIBLING = 'http://127.0.0.1:1';

describe('cross-origin requests carrying the agent session cookie', () => {
  let t: HandoffApp;
  let admin: string;
  beforeAll(async () => {
    t = await startHandoffApp({ AGENTS: AGENTS_WITH_ADMIN });
    admin = await sessionCookieOf(t.url, ADA);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function customer(): Promise<string> {
    const conversationId = randomUUID();
    await say(t.url, conversationId, 'm1', { text: 'hello' });
    return encodeURIComponent(`web:${conversationId}`);
  }
  const erase = (ref: string, headers: Record<string, string>) => fetch(`${t.url}/admin/customers/${ref}/erase`, { method: 'POST', headers });
  const exists = async (ref: string) => (await fetch(`${t.url}/admin/customers/${ref}/export`, { headers: { cookie: admin } })).status === 200;

  it('an erase posted from a sibling origin is refused with 403 and erases nothing', async () => {
    const ref = await customer();
    const attacks: Record<string, string>[] = [
      { origin: SIBLING },
      { origin: SIBLING, 'sec-fetch-site': 'same-site' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
    ];
    for (const headers of attacks) {
      const refused = await erase(ref, { cookie: admin, ...headers });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'cross-origin request refused' } });
    }
    expect(await exists(ref)).toBe(true);
    // From the privacy page itself it goes through.
    expect((await erase(ref, { cookie: admin, origin: t.url, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect(await exists(ref)).toBe(false);
  });

  it('console actions and the agent socket handshake from another origin are refused; the session stays', async () => {
    const cookie = await sessionCookieOf(t.url, ANA);
    const logout = await fetch(`${t.url}/agent/logout`, { method: 'POST', headers: { cookie, origin: SIBLING, 'content-type': 'application/json' }, body: '{}' });
    expect(logout.status).toBe(403);
    expect((await fetch(`${t.url}/agent/api/me`, { headers: { cookie } })).status).toBe(200);
    const ws = `${t.url.replace('http', 'ws')}/agent/api/socket`;
    await expect(collectFrames(ws, { cookie, origin: SIBLING })).rejects.toThrow('refused with 403');
    const same = await collectFrames(ws, { cookie, origin: t.url });
    same.socket.close();
  });

  it('refuses before reading the body: a cross-origin POST whose body never comes is answered at once', async () => {
    const { port } = new URL(t.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /admin/customers/x/erase HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${admin}\r\nOrigin: ${SIBLING}\r\n`
          + 'Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"partial":');
      });
      let data = '';
      const timer = setTimeout(() => reject(new Error('no answer while the body was outstanding')), 3000);
      socket.on('data', (chunk) => {
        data += chunk.toString();
        if (data.includes('\r\n\r\n')) {
          clearTimeout(timer);
          socket.destroy();
          resolve(data);
        }
      });
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
  });

  it('leaves alone requests without the cookie (bearer tokens) and the public web chat, from any origin', async () => {
    const ref = await customer();
    expect((await erase(ref, { authorization: `Bearer ${ADA.token}` })).status).toBe(200);
    const chat = await fetch(`${t.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { cookie: admin, origin: 'https://shop.example', 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: randomUUID(), messageId: 'm1', text: 'hello' }),
    });
    expect(chat.status).toBe(200);
  });
});

describe('same origin behind a TLS proxy (TRUST_PROXY)', () => {
  let t: HandoffApp;
  afterAll(async () => {
    await t?.close();
  });

  it("compares Origin with the public origin the proxy names, and only when the proxy is trusted", async () => {
    t = await startHandoffApp({ AGENTS: AGENTS_WITH_ADMIN, TRUST_PROXY: '127.0.0.1' });
    const cookie = await sessionCookieOf(t.url, ANA);
    const proxied = { cookie, origin: 'https://parley.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'parley.example', 'content-type': 'application/json' };
    const claim = (headers: Record<string, string>) => fetch(`${t.url}/agent/api/handoffs/${randomUUID()}/claim`, { method: 'POST', headers, body: '{}' });
    // Through the proxy from its own page: past the check (no such handoff: 404).
    expect((await claim(proxied)).status).toBe(404);
    expect((await claim({ ...proxied, 'x-forwarded-host': 'evil.example' })).status).toBe(403);
    expect((await claim({ ...proxied, 'x-forwarded-proto': 'http' })).status).toBe(403);
  });
});
