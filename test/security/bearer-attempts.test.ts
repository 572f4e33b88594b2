import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANA, collectFrames, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { AGENTS_WITH_ADMIN, sessionCookieOf } from './support.ts';

/**
 * Issue 14, item 15: bearer tokens at /agent/api/* had no attempt limit, so an agent's token could be guessed at any
 * speed. Now every bearer value presented as an agent credential counts against the client's address like a
 * password (50 failures in 15 minutes), at the console's API, its socket and the admin pages alike.
 */
describe('bearer-token guessing', () => {
  let t: HandoffApp;
  beforeAll(async () => {
    t = await startHandoffApp({ TRUST_PROXY: '127.0.0.1', AGENTS: AGENTS_WITH_ADMIN });
  });
  afterAll(async () => {
    await t?.close();
  });

  const me = (token: string, from: string, extra: Record<string, string> = {}) =>
    fetch(`${t.url}/agent/api/me`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': from, ...extra } });

  it('after 50 wrong tokens from an address, even the right token is refused there (429, Retry-After); elsewhere it works', async () => {
    const guesser = '203.0.113.15';
    // A session signed in from the guesser's address before the guessing started (e.g. the same office NAT).
    const cookie = await sessionCookieOf(t.url, ANA);
    const guesses = await Promise.all(Array.from({ length: 60 }, (_, i) => me(`guess-${i}-0123456789abcdef`, guesser).then((r) => r.status)));
    // A parallel burst is held to the limit too.
    expect(guesses.filter((status) => status === 401)).toHaveLength(50);
    expect(guesses.filter((status) => status === 429)).toHaveLength(10);

    const refused = await me(ANA.token, guesser);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(800);
    expect(await refused.json()).toEqual({ error: { code: 'TOO_MANY_ATTEMPTS', message: 'too many failed sign-ins; try again in 15 minutes' } });
    // The other surfaces that take an agent's bearer token are behind the same count.
    const admin = await fetch(`${t.url}/admin/data-requests`, { headers: { authorization: 'Bearer one-more-guess-0123456789', 'x-forwarded-for': guesser } });
    expect(admin.status).toBe(429);
    await expect(collectFrames(`${t.url.replace('http', 'ws')}/agent/api/socket`, { authorization: `Bearer ${ANA.token}`, 'x-forwarded-for': guesser }))
      .rejects.toThrow('429');

    expect((await me(ANA.token, '198.51.100.7')).status).toBe(200);
    // A session cookie is not a guess: the agent already signed in keeps working from that address.
    const bySession = await fetch(`${t.url}/agent/api/me`, { headers: { cookie, 'x-forwarded-for': guesser } });
    expect(bySession.status).toBe(200);
  });

  it('right tokens do not add up', async () => {
    for (let i = 0; i < 60; i++) expect((await me(ANA.token, '203.0.113.99')).status).toBe(200);
  });
});
