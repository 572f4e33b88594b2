import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGN_IN_LIMITS, SignInThrottle } from '../../src/server/auth/sign-in-throttle.ts';
import { ANA, dropPrefix, freshPrefix, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { signIn } from './support.ts';

/**
 * Issue 14, item 5: one address could lock an agent out from everywhere, because attempts already refused (429) still
 * counted toward the agent's limit of 30. Replayed through a trusted proxy, so each request names its client.
 */
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('sign-in lockout', () => {
  it('an attacker hammering from one address locks out only that address: the agent still signs in from elsewhere', async () => {
    const t = (running = await startHandoffApp({ TRUST_PROXY: '127.0.0.1' }));
    const attacker = '203.0.113.66';
    for (let i = 0; i < 5; i++) expect((await signIn(t.url, { id: 'ana', password: `guess ${i}` }, attacker)).status).toBe(401);
    // Refused attempts, far past the per-agent limit of 30: none of them is a guess, none counts.
    const refused = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(t.url, { id: 'ana', password: `more ${i}` }, attacker)));
    expect(refused.every(({ status }) => status === 429)).toBe(true);
    expect((await signIn(t.url, { id: 'ana', password: ANA.password }, attacker)).status).toBe(429);
    expect((await signIn(t.url, { id: 'ana', password: ANA.password }, '198.51.100.7')).status).toBe(200);
  });

  it('guessing spread over many addresses is still capped per agent, but an address that has not failed may sign in', async () => {
    const t = (running = await startHandoffApp({ TRUST_PROXY: '127.0.0.1' }));
    for (let a = 1; a <= 6; a++) {
      for (let i = 0; i < 5; i++) expect((await signIn(t.url, { id: 'ana', password: `guess ${a}.${i}` }, `203.0.113.${a}`)).status).toBe(401);
    }
    // 30 failures: a seventh address gets one guess, then it has failed and is refused, even the right password.
    expect((await signIn(t.url, { id: 'ana', password: 'guess 7' }, '203.0.113.7')).status).toBe(401);
    const seventh = await signIn(t.url, { id: 'ana', password: ANA.password }, '203.0.113.7');
    expect(seventh.status).toBe(429);
    expect(Number(seventh.retryAfter)).toBeGreaterThan(800);
    // Ana at her own desk, which never failed, signs in.
    expect((await signIn(t.url, { id: 'ana', password: ANA.password }, '198.51.100.7')).status).toBe(200);
  });

  it('a refused attempt does not extend the lock: it ends a window after the first failure', async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    const prefix = freshPrefix();
    try {
      // A window long enough that a busy machine's slow round trips still refuse inside it.
      const throttle = new SignInThrottle(redis, prefix, { ...SIGN_IN_LIMITS, perAgentAndAddress: 2, windowMs: 1500 });
      const attempt = { agentId: 'ana', address: '203.0.113.1' };
      expect(await throttle.admit(attempt)).toBe(0);
      expect(await throttle.admit(attempt)).toBe(0);
      const started = Date.now();
      // Refused all the while, never counted.
      while (Date.now() - started < 900) {
        expect(await throttle.admit(attempt)).toBeGreaterThan(0);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Had the refusals extended it, the window would now run until 1.5 s after the last one.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1600 - (Date.now() - started))));
      expect(await throttle.admit(attempt)).toBe(0);
    } finally {
      redis.disconnect();
      await dropPrefix(prefix);
    }
  });

  it('counts an IPv6 client by its /64, so stepping through its addresses is no new client', async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    const prefix = freshPrefix();
    try {
      const throttle = new SignInThrottle(redis, prefix, { ...SIGN_IN_LIMITS, perAgentAndAddress: 3 });
      for (const address of ['2001:db8:1:2::1', '2001:db8:1:2:aaaa::2', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff']) {
        expect(await throttle.admit({ agentId: 'ana', address })).toBe(0);
      }
      expect(await throttle.admit({ agentId: 'ana', address: '2001:db8:1:2::99' })).toBeGreaterThan(0);
      expect(await throttle.admit({ agentId: 'ana', address: '2001:db8:1:3::1' })).toBe(0);
    } finally {
      redis.disconnect();
      await dropPrefix(prefix);
    }
  });
});
