import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { hashToken } from '../../src/handoff/agents.ts';
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

  it("a warranty claim waits in billing, where Ben sees it and Ana does not; a person request goes to escalations, counted there; others stay in support", async () => {
    const agents = JSON.stringify([
      { id: ANA.id, name: ANA.name, queues: ['support', 'escalations'], token: hashToken(ANA.token) },
      { id: BEN.id, name: BEN.name, queues: ['billing'], token: hashToken(BEN.token) },
    ]);
    const routes = [{ flow: 'warranty', queue: 'billing' }, { flow: 'human', queue: 'escalations' }];
    const t = (running = await startHandoffApp({ AGENTS: agents, HANDOFF_ROUTES: JSON.stringify(routes) }));
    await say(t.url, 'route1', 'm1', { text: 'warranty claim' });
    const told = await say(t.url, 'route1', 'm2', { text: 'laptop' });
    expect(told.replies.at(-1)!.text).toBe('A person from our team will be with you shortly. You are number 1 in the queue.');
    const forBen = await eventually(async () => (await asAgent(t.url, BEN.token, '/agent/api/handoffs')).json.handoffs[0]);
    expect(forBen).toMatchObject({ queue: 'billing', reason: 'warranty claim for laptop' });
    expect((await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs).toEqual([]);

    // A handoff waits in support (an order number the bot could not read); then a customer asks for a person, and
    // the `human` flow hands over in the turn it starts: the place they are told is counted in the queue the
    // route picks (empty), not in support.
    await say(t.url, 'route0', 'm1', { text: 'where is my order' });
    await say(t.url, 'route0', 'm2', { text: 'no idea' });
    await say(t.url, 'route0', 'm3', { text: 'still no idea' });
    await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs.find((h: { queue: string }) => h.queue === 'support'));
    const human = await say(t.url, 'route3', 'm1', { text: 'human' });
    expect(human.replies.at(-1)!.text).toBe('A person from our team will be with you shortly. You are number 1 in the queue.');
    const escalated = await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs.find((h: { queue: string }) => h.queue === 'escalations'));
    expect(escalated.reason).toBe('customer asked for a person');

    expect((await asAgent(t.url, BEN.token, '/agent/api/handoffs')).json.handoffs.map((h: { id: string }) => h.id)).toEqual([forBen.id]);
  });
});
