import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/handoff/agents.ts';
import { say } from '../support/app.ts';
import { eventually, startHandoffApp, type HandoffApp } from './support.ts';
import { call } from './workspace-support.ts';

/** Canned responses (issue 17): per queue or for all, managed by admins, rendered with the conversation's variables. */
const TOKENS = { boss: 'boss-token-canned-0123456789', ana: 'ana-token-canned-0123456789', ben: 'ben-token-canned-0123456789' };
const AGENTS = JSON.stringify([
  { id: 'boss', name: 'Bo', queues: ['support'], admin: true, token: hashToken(TOKENS.boss) },
  { id: 'ana', name: 'Ana', queues: ['support'], token: hashToken(TOKENS.ana) },
  { id: 'ben', name: 'Ben', queues: ['billing'], token: hashToken(TOKENS.ben) },
]);

describe('canned responses', () => {
  let t: HandoffApp;
  beforeAll(async () => {
    t = await startHandoffApp({ AGENTS });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('are managed by admins only, per queue or for every queue, each shortcut once per queue', async () => {
    const refund = { queue: 'support', shortcut: 'refund', title: 'Refund started', text: 'Hi {{customer.name}}, the refund for {{order.number}} is on its way. {{agent.name}}' };
    expect((await call(t.url, TOKENS.ana, 'POST', '/agent/api/canned', refund)).status).toBe(403);
    const created = await call(t.url, TOKENS.boss, 'POST', '/agent/api/canned', refund);
    expect(created.status).toBe(201);
    expect(created.json.canned).toMatchObject({ id: expect.any(String), ...refund });
    expect((await call(t.url, TOKENS.boss, 'POST', '/agent/api/canned', refund)).status).toBe(409);
    expect((await call(t.url, TOKENS.boss, 'POST', '/agent/api/canned', { ...refund, shortcut: 'Not OK!' })).status).toBe(400);
    const hello = await call(t.url, TOKENS.boss, 'POST', '/agent/api/canned', { queue: null, shortcut: 'hello', title: 'Greeting', text: 'Hello, how can I help?' });
    expect(hello.status).toBe(201);
    expect((await call(t.url, TOKENS.ana, 'GET', '/agent/api/canned')).json.canned.map((c: { shortcut: string }) => c.shortcut)).toEqual(['hello', 'refund']);
    expect((await call(t.url, TOKENS.ben, 'GET', '/agent/api/canned')).json.canned.map((c: { shortcut: string }) => c.shortcut)).toEqual(['hello']);
    expect((await call(t.url, TOKENS.ana, 'GET', '/agent/api/canned?queue=billing')).json.canned.map((c: { shortcut: string }) => c.shortcut)).toEqual(['hello']);

    const changed = await call(t.url, TOKENS.boss, 'PUT', `/agent/api/canned/${hello.json.canned.id}`, { queue: null, shortcut: 'hello', title: 'Greeting', text: 'Hello {{customer.name}}!' });
    expect(changed.json.canned.text).toBe('Hello {{customer.name}}!');
    expect((await call(t.url, TOKENS.ana, 'DELETE', `/agent/api/canned/${hello.json.canned.id}`)).status).toBe(403);
    expect((await call(t.url, TOKENS.boss, 'DELETE', `/agent/api/canned/${hello.json.canned.id}`)).status).toBe(204);
    expect((await call(t.url, TOKENS.boss, 'DELETE', `/agent/api/canned/${hello.json.canned.id}`)).status).toBe(404);
    expect((await call(t.url, TOKENS.ana, 'GET', '/agent/api/canned')).json.canned.map((c: { shortcut: string }) => c.shortcut)).toEqual(['refund']);
  });

  it("renders with the conversation's variables, naming the ones without a value", async () => {
    await say(t.url, 'canned-1', 'm1', { text: 'refund please' });
    await say(t.url, 'canned-1', 'm2', { text: 'BW-24680' });
    const conversation = await t.app.store.findConversation('web', 'canned-1');
    const handoff = await eventually(async () => (await t.handoffs.openFor(conversation!.id)) ?? undefined);
    const [refund] = (await call(t.url, TOKENS.ana, 'GET', '/agent/api/canned?queue=support')).json.canned;
    const rendered = await call(t.url, TOKENS.ana, 'POST', `/agent/api/handoffs/${handoff.id}/canned/${refund.id}/render`);
    expect(rendered.json).toEqual({ text: 'Hi , the refund for BW-24680 is on its way. Ana', missing: ['customer.name'] });
    expect((await call(t.url, TOKENS.ben, 'POST', `/agent/api/handoffs/${handoff.id}/canned/${refund.id}/render`)).status).toBe(404);
    // The sidebar names the same variable in words.
    const detail = await call(t.url, TOKENS.ana, 'GET', `/agent/api/handoffs/${handoff.id}`);
    expect(detail.json.sidebar.variables).toEqual([{ name: 'order_number', label: 'Order number', value: 'BW-24680' }]);
  });
});
