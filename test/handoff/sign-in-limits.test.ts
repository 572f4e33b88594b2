import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { SIGN_IN_LIMITS, SignInThrottle } from '../../src/server/auth/sign-in-throttle.ts';
import { loadConfig } from '../../src/config.ts';
import { ANA, BEN, startHandoffApp, type HandoffApp } from './support.ts';

/** Password guessing at the console's sign-in, against a real app and Redis. */
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function signIn(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: string | null; json: any }> {
  const response = await fetch(`${url}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json: await response.json() };
}

describe('console sign-in limits', () => {
  it('after 5 wrong passwords for an agent from one address, refuses even the right one with 429 and when to come back; other agents still sign in', async () => {
    const t = (running = await startHandoffApp());
    for (let i = 0; i < 5; i++) expect((await signIn(t.url, { id: 'ana', password: `guess ${i}` })).status).toBe(401);
    const refused = await signIn(t.url, { id: 'ana', password: ANA.password });
    expect(refused.status).toBe(429);
    expect(refused.json.error).toEqual({ code: 'TOO_MANY_ATTEMPTS', message: 'too many failed sign-ins; try again in 15 minutes' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(800);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(900);
    expect((await signIn(t.url, { id: 'ben', password: BEN.password })).status).toBe(200);
    // Nothing about the attempt reaches the log but who was refused: never a password.
    const log = t.logs.join('');
    expect(log).toContain('agent sign-in refused: too many failed attempts');
    expect(log).not.toContain('guess 4');
  });

  it('holds a burst of parallel guesses to the same limit', async () => {
    const t = (running = await startHandoffApp());
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(t.url, { id: 'ana', password: `burst ${i}` }).then((r) => r.status)));
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
  });

  it('a right password within the limit clears the count', async () => {
    const t = (running = await startHandoffApp());
    for (let i = 0; i < 4; i++) expect((await signIn(t.url, { id: 'ana', password: 'guess' })).status).toBe(401);
    expect((await signIn(t.url, { id: 'ana', password: ANA.password })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn(t.url, { id: 'ana', password: 'guess' })).status).toBe(401);
    expect((await signIn(t.url, { id: 'ana', password: ANA.password })).status).toBe(200);
  });

  it('counts wrong tokens by address', async () => {
    const t = (running = await startHandoffApp());
    for (let i = 0; i < 50; i++) expect((await signIn(t.url, { token: `wrong-token-${i}` })).status).toBe(401);
    expect((await signIn(t.url, { token: ANA.token })).status).toBe(429);
  });

  it('believes X-Forwarded-For only from a trusted proxy: behind one, a blocked address does not block the agent elsewhere', async () => {
    const direct = (running = await startHandoffApp());
    for (let i = 0; i < 5; i++) await signIn(direct.url, { id: 'ana', password: 'guess' }, { 'x-forwarded-for': `203.0.113.${i}` });
    // Not trusted: the forged header changes nothing, all five came from this address.
    expect((await signIn(direct.url, { id: 'ana', password: ANA.password }, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
    await direct.close();

    const proxied = (running = await startHandoffApp({ TRUST_PROXY: '127.0.0.1' }));
    for (let i = 0; i < 5; i++) await signIn(proxied.url, { id: 'ana', password: 'guess' }, { 'x-forwarded-for': '203.0.113.9' });
    expect((await signIn(proxied.url, { id: 'ana', password: ANA.password }, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(429);
    expect((await signIn(proxied.url, { id: 'ana', password: ANA.password }, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(200);
  });

  it('leaves no count behind when a window ends between the attempt and its right password', async () => {
    const redis = new Redis('redis://127.0.0.1:6379');
    const prefix = `{signin-${process.pid}-${Date.now()}}`;
    try {
      const throttle = new SignInThrottle(redis, prefix, { ...SIGN_IN_LIMITS, windowMs: 50 });
      const attempt = { agentId: 'ana', address: '203.0.113.1' };
      expect(await throttle.admit(attempt)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 120));
      await throttle.succeeded(attempt);
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('reads TRUST_PROXY as true, a number of hops, or addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ TRUST_PROXY: 'the load balancer' })).toThrow(/TRUST_PROXY/);
  });
});
