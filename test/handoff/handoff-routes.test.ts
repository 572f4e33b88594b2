import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { routeHandoff, type HandoffRoute } from '../../src/handoff/handoff-routes.ts';
import { say } from '../support/app.ts';
import { ANA, asAgent, BEN, eventually, startHandoffApp, type HandoffApp } from './support.ts';

const ROUTES: HandoffRoute[] = [
  { locale: 'de', queue: 'support-de' },
  { flow: ['billing', 'refund_*'], queue: 'billing' },
  { trigger: 'frustration', channel: ['whatsapp', 'whatsapp-web'], queue: 'escalations' },
];
const facts = (overrides: Partial<Parameters<typeof routeHandoff>[1]> = {}) =>
  ({ flow: undefined, locale: 'en', channel: 'web', trigger: 'flow' as const, ...overrides });

describe('HANDOFF_ROUTES', () => {
  it('picks the first route whose every condition matches, else the default queue', () => {
    expect(routeHandoff(ROUTES, facts({ locale: 'de-AT', flow: 'billing' }), 'support')).toBe('support-de');
    expect(routeHandoff(ROUTES, facts({ flow: 'billing' }), 'support')).toBe('billing');
    expect(routeHandoff(ROUTES, facts({ flow: 'refund_order' }), 'support')).toBe('billing');
    expect(routeHandoff(ROUTES, facts({ flow: 'refunds' }), 'support')).toBe('support');
    expect(routeHandoff(ROUTES, facts({ trigger: 'frustration', channel: 'whatsapp' }), 'support')).toBe('escalations');
    expect(routeHandoff(ROUTES, facts({ trigger: 'frustration', channel: 'web' }), 'support')).toBe('support');
    expect(routeHandoff(ROUTES, facts({ locale: 'den' }), 'support')).toBe('support');
    expect(routeHandoff([], facts(), 'support')).toBe('support');
  });

  it('refuses a route to a queue no console agent serves, and a malformed one, naming the setting', () => {
    const agents = JSON.stringify([{ id: 'ana', name: 'Ana', queues: ['support'], token: `sha256$${'a'.repeat(64)}` }]);
    expect(() => loadConfig({ AGENTS: agents, HANDOFF_ROUTES: JSON.stringify([{ flow: 'billing', queue: 'billing' }]) }))
      .toThrow("HANDOFF_ROUTES: no agent serves the queue 'billing'");
    expect(() => loadConfig({ AGENTS: agents, HANDOFF_ROUTES: JSON.stringify([{ queue: 'support', langauge: 'de' }]) })).toThrow(/HANDOFF_ROUTES: 0:/);
    expect(() => loadConfig({ AGENTS: agents, HANDOFF_ROUTES: '[{"queue": ' })).toThrow('HANDOFF_ROUTES: not valid JSON');
    // The Slack desk shows every queue.
    const slack = { SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_AGENT_CHANNEL: 'C1' };
    expect(loadConfig({ AGENTS: agents, ...slack, HANDOFF_ROUTES: JSON.stringify([{ flow: 'billing', queue: 'billing' }]) }).handoff.routes)
      .toEqual([{ flow: 'billing', queue: 'billing' }]);
  });
});

describe('routed handoffs in the agent console', () => {
  let running: HandoffApp | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it("a warranty claim waits in billing, where Ben sees it and Ana does not; other handoffs stay in the default queue", async () => {
    const t = (running = await startHandoffApp({ HANDOFF_ROUTES: JSON.stringify([{ flow: 'warranty', queue: 'billing' }]) }));
    await say(t.url, 'route1', 'm1', { text: 'warranty claim' });
    const told = await say(t.url, 'route1', 'm2', { text: 'laptop' });
    expect(told.replies.at(-1)!.text).toBe('A person from our team will be with you shortly. You are number 1 in the queue.');
    const forBen = await eventually(async () => (await asAgent(t.url, BEN.token, '/agent/api/handoffs')).json.handoffs[0]);
    expect(forBen).toMatchObject({ queue: 'billing', reason: 'warranty claim for laptop' });
    expect((await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs).toEqual([]);

    await say(t.url, 'route2', 'm1', { text: 'talk to a person' });
    const forAna = await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]);
    expect(forAna.queue).toBe('support');
    expect((await asAgent(t.url, BEN.token, '/agent/api/handoffs')).json.handoffs.map((h: { id: string }) => h.id)).toEqual([forBen.id]);
  });
});
