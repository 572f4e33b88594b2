import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { serviceUrlAllowed } from '../../adapters/botframework/index.ts';
import { DEFAULT_SERVICE_URL_HOSTS } from '../../adapters/botframework/config.ts';
import { loadConfig } from '../../src/config.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { activity, FakeConnector, postActivity } from '../channels/botframework/support.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * Issue 14, item 1: with no MicrosoftAppId, anyone could POST an activity to /api/messages whose serviceUrl named any
 * host, port and path, and Parley POSTed its replies there (an SSRF that also injects messages). Now unauthenticated
 * traffic is accepted only with BOTFRAMEWORK_EMULATOR, from this machine, for a loopback serviceUrl; with an app id,
 * only Microsoft's channel services; with neither, /api/messages is 404. A forged token is a 401 that says nothing
 * more, with no stack trace per request.
 */

const APP_ID = '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c';
const base = { FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'info' };

async function count(t: TestApp, table: string): Promise<number> {
  const result = await sqlOf(t.app.store).query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
  return Number(result.rows[0]?.n);
}

/** A local server standing in for the host an attacker names as serviceUrl: it records whatever Parley posts. */
let target: FakeConnector;
beforeAll(async () => {
  target = await new FakeConnector().start();
});
afterAll(async () => target?.close());

describe('Bot Framework with neither an app id nor the Emulator setting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...base, BOTFRAMEWORK_EMULATOR: 'false' });
  });
  afterAll(async () => t?.close());

  it('answers 404 at /api/messages, posts nothing to the serviceUrl and stores nothing', async () => {
    const conversationId = `${randomUUID()}|livechat`;
    const response = await postActivity(t.url, activity('message', { conversationId, id: randomUUID(), serviceUrl: target.url }));
    expect(response.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.attempts).toBe(0);
    expect(await count(t, 'conversations')).toBe(0);
    const health = await (await fetch(`${t.url}/healthz`)).json();
    expect(health.channels).not.toContain('botframework');
  });
});

describe('Bot Framework Emulator mode (no app id)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...base, BOTFRAMEWORK_EMULATOR: 'true', TRUST_PROXY: 'true' });
  });
  afterAll(async () => t?.close());

  it.each([
    ['another host', 'http://evil.example/v3'],
    ['a cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['a private address', 'http://10.0.0.7:8080'],
    ['0.0.0.0', 'http://0.0.0.0:6379'],
    ['a host that starts like loopback', 'http://127.0.0.1.nip.io:3000'],
    ['a host that starts like localhost', 'http://localhost.evil.example'],
    ['loopback as user info before another host', 'http://127.0.0.1@evil.example/'],
    ['IPv4-mapped metadata address', 'http://[::ffff:169.254.169.254]/'],
    ['another scheme', 'file:///etc/passwd'],
    ['no URL at all', 'not a url'],
  ])('refuses a serviceUrl naming %s with 403, and neither stores nor sends anything', async (_label, serviceUrl) => {
    const conversationId = `${randomUUID()}|livechat`;
    const response = await postActivity(t.url, activity('message', { conversationId, id: randomUUID(), serviceUrl }));
    expect(response.status).toBe(403);
    expect(JSON.parse(response.text).error.code).toBe('FORBIDDEN');
    const stored = await sqlOf(t.app.store).query('SELECT 1 FROM conversations WHERE external_id = $1', [conversationId]);
    expect(stored.rows).toHaveLength(0);
  });

  it('refuses the Emulator traffic of a client that is not on this machine, before anything is sent', async () => {
    const conversationId = `${randomUUID()}|livechat`;
    const before = target.attempts;
    const response = await postActivity(t.url, activity('message', { conversationId, id: randomUUID(), serviceUrl: target.url }), { 'x-forwarded-for': '203.0.113.9' });
    expect(response.status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.attempts).toBe(before);
  });

  it.each(['http://127.0.0.1:9', 'http://127.8.9.10:9', 'http://localhost:9', 'http://[::1]:9'])('accepts the loopback serviceUrl %s', async (serviceUrl) => {
    const response = await postActivity(t.url, activity('typing', { conversationId: `${randomUUID()}|livechat`, serviceUrl }));
    expect(response.status).toBe(200);
  });
});

describe('Bot Framework with an app id', () => {
  let t: TestApp;
  let errors: MockInstance<typeof console.error>;
  beforeAll(async () => {
    errors = vi.spyOn(console, 'error');
    t = await startTestApp({ ...base, DEMO_MODE: 'false', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' });
  });
  afterAll(async () => {
    errors?.mockRestore();
    await t?.close();
  });
  afterEach(() => errors.mockClear());

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['no token', undefined],
    ['a token no Bot Framework issuer signed', `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://attacker.example', aud: APP_ID })}.c2ln`],
    // Claims the real issuer, so the key resolver has to look up a key that does not exist (or cannot be fetched).
    ['a token claiming the Bot Framework issuer, signed by a key it has never published', `${b64({ alg: 'RS256', typ: 'JWT', kid: 'forged-key' })}.${b64({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: target?.url ?? '', nbf: now - 60, exp: now + 3600 })}.c2ln`],
    ['not a token at all', 'garbage'],
  ])('refuses %s with a 401 that names no internal reason, and logs at most one short line', async (_label, token) => {
    const logsBefore = t.logs.length;
    const message = activity('message', { conversationId: `${randomUUID()}|livechat`, id: randomUUID(), serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    const response = await postActivity(t.url, message, token ? { authorization: `Bearer ${token}` } : {});
    expect(response.status).toBe(401);
    expect(JSON.parse(response.text)).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Bot Framework authentication failed' } });
    expect(errors).not.toHaveBeenCalled();
    const lines = t.logs.slice(logsBefore).map((line) => JSON.parse(line));
    const warnings = lines.filter((line) => line.level >= 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].msg).toBe('Bot Framework request refused: its token could not be verified');
    for (const line of lines) {
      expect(JSON.stringify(line)).not.toMatch(/\n\s+at |stack/);
      expect(JSON.stringify(line).length).toBeLessThan(600);
    }
    expect(await count(t, 'conversations')).toBe(0);
    expect(await count(t, 'channel_references')).toBe(0);
  }, 30_000);
});

describe("serviceUrls accepted with an app id: Microsoft's channel services only", () => {
  const withAppId = { emulator: false, serviceUrlHosts: DEFAULT_SERVICE_URL_HOSTS };
  it.each([
    'https://smba.trafficmanager.net/emea/',
    'https://smba.trafficmanager.net/teams/',
    'https://webchat.botframework.com/',
    'https://europe.webchat.botframework.com/',
    'https://directline.botframework.com/',
    'https://smba.infra.gcc.teams.microsoft.com/gcc/',
    'https://smba.infra.gov.teams.microsoft.us/gcch/',
    'https://smba.infra.dod.teams.microsoft.us/',
    'https://webchat.botframework.azure.us/',
    'https://directline.botframework.azure.cn/',
    'https://frontend.botapi.msg.infra.teams.microsoftonline.cn/',
  ])('accepts %s', (serviceUrl) => {
    expect(serviceUrlAllowed(serviceUrl, withAppId)).toBe(true);
  });

  it.each([
    'http://smba.trafficmanager.net/emea/',
    'https://smba.trafficmanager.net:8443/emea/',
    'https://evil.trafficmanager.net/',
    'https://botframework.com.evil.example/',
    'https://evilbotframework.com/',
    'https://user:pass@webchat.botframework.com/',
    'https://127.0.0.1/',
    'http://localhost:3978/',
    'https://169.254.169.254/',
  ])('refuses %s', (serviceUrl) => {
    expect(serviceUrlAllowed(serviceUrl, withAppId)).toBe(false);
  });

  it('accepts loopback too when the Emulator setting is on (the Emulator signing in with the app id)', () => {
    expect(serviceUrlAllowed('http://localhost:3978', { ...withAppId, emulator: true })).toBe(true);
  });

  it('BOTFRAMEWORK_SERVICE_URL_HOSTS replaces the list, and a malformed entry stops the start', () => {
    const config = loadConfig({ DEMO_MODE: 'false', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', BOTFRAMEWORK_SERVICE_URL_HOSTS: 'bots.example.com, *.channels.example.org' });
    const settings = config.botframework!;
    expect(serviceUrlAllowed('https://bots.example.com/v3', settings)).toBe(true);
    expect(serviceUrlAllowed('https://eu.channels.example.org/', settings)).toBe(true);
    expect(serviceUrlAllowed('https://smba.trafficmanager.net/emea/', settings)).toBe(false);
    expect(() => loadConfig({ DEMO_MODE: 'false', MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'x', BOTFRAMEWORK_SERVICE_URL_HOSTS: 'https://bots.example.com/' })).toThrow(/BOTFRAMEWORK_SERVICE_URL_HOSTS/);
  });

  it('turns the Emulator on by default in demo mode only', () => {
    expect(loadConfig({ DEMO_MODE: 'true' }).botframework?.emulator).toBe(true);
    expect(loadConfig({ DEMO_MODE: 'false' }).botframework).toBeUndefined();
    expect(loadConfig({ DEMO_MODE: 'false', BOTFRAMEWORK_EMULATOR: 'true' }).botframework?.emulator).toBe(true);
  });
});
