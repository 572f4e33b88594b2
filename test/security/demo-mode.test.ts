import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const WHATSAPP = { WHATSAPP_VERIFY_TOKEN: 'verify-me', WHATSAPP_APP_SECRET: 'app-secret', WHATSAPP_ACCESS_TOKEN: 'access-token' };
const SLACK = { SLACK_SIGNING_SECRET: 'signing-secret', SLACK_BOT_TOKEN: 'xoxb-1' };
const agentIds = (env: Record<string, string>) => loadConfig(env).handoff.agents.map((agent) => agent.id);

/**
 * Issue 14, item 4: with DEMO_MODE unset and no AGENTS, the demo agent demo / demo (an admin) existed even with
 * WhatsApp or Slack secrets configured, and HOST defaulted to 0.0.0.0.
 */
describe('demo mode', () => {
  it('is on for a fresh checkout: the demo agent, on 127.0.0.1 only', () => {
    const config = loadConfig({});
    expect(config.demoMode).toBe(true);
    expect(config.host).toBe('127.0.0.1');
    expect(agentIds({})).toEqual(['demo']);
    // HOST set on purpose is kept.
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it.each([
    ['WhatsApp Cloud secrets', WHATSAPP],
    ['Slack secrets', SLACK],
    ['NOTIFY_API_KEYS', { NOTIFY_API_KEYS: 'crm=0123456789abcdef0123456789' }],
    ['a Bot Framework app id', { MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'app-password' }],
  ])('is off when %s are set: no demo agent, 0.0.0.0 unless HOST says otherwise', (_name, env: Record<string, string>) => {
    const config = loadConfig(env);
    expect(config.demoMode).toBe(false);
    expect(config.handoff.agents).toEqual([]);
    expect(config.host).toBe('0.0.0.0');
    // The demo shop's order API stays, so the demo flows still find their orders on a real channel.
    expect(config.demoOrders).toBe(true);
  });

  it('refuses to start when asked for with real secrets, naming the setting to change', () => {
    expect(() => loadConfig({ DEMO_MODE: 'true', ...SLACK })).toThrow(
      /^Invalid configuration: DEMO_MODE: .*SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN set; set DEMO_MODE=false/,
    );
    expect(() => loadConfig({ DEMO_MODE: 'true', WHATSAPP_WEB: 'true' })).toThrow(/WHATSAPP_WEB set; set DEMO_MODE=false/);
    expect(loadConfig({ DEMO_MODE: 'false', ...SLACK }).demoOrders).toBe(false);
  });

  describe('a server with WhatsApp secrets and DEMO_MODE unset', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ ...WHATSAPP, FLOWS_WATCH: 'false', KB_WATCH: 'false' });
    });
    afterAll(async () => t?.close());

    it('does not let anyone sign in as demo / demo', async () => {
      const response = await fetch(`${t.url}/agent/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'demo', password: 'demo' }),
      });
      expect([401, 404]).toContain(response.status);
      expect(response.headers.get('set-cookie')).toBeNull();
    });
  });
});
