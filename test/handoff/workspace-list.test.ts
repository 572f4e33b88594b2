import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, say } from '../support/app.ts';
import { ANA, BEN, startHandoffApp, type HandoffApp } from './support.ts';
import { call, handOver } from './workspace-support.ts';

/** The workspace's list (issue 17): tabs, filters, search over what the agent may see, unread counts and waiting time. */
describe('the conversation list', () => {
  let t: HandoffApp;
  let english: string;
  let german: string;
  const list = async (query: string, token = ANA.token) => {
    const answer = await call(t.url, token, 'GET', `/agent/api/handoffs${query}`);
    expect(answer.status).toBe(200);
    return answer.json.handoffs as Array<Record<string, any>>;
  };
  const ids = (handoffs: Array<Record<string, any>>) => handoffs.map((h) => h.id);

  beforeAll(async () => {
    t = await startHandoffApp();
    english = await handOver(t, 'list-en');
    await postJson(`${t.url}/api/webchat/messages`, { conversationId: 'list-de', messageId: 'de-1', text: 'Mein Mixer ist kaputt', locale: 'de-DE' });
    german = await handOver(t, 'list-de');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lists by tab, with the customer, waiting time, latest message and assignee', async () => {
    expect(ids(await list('?tab=waiting'))).toEqual([english, german]);
    expect(await list('?tab=mine')).toEqual([]);
    await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${english}/claim`, {});
    const [mine] = await list('?tab=mine');
    expect(mine).toMatchObject({
      id: english, status: 'claimed', queue: 'support', assignee: { id: 'ana', name: 'Ana' },
      customer: { name: null, channel: 'web', language: null }, preview: 'Ana from our team is here to help you now.',
    });
    expect(Date.parse(mine!.waitingSince)).toBeLessThanOrEqual(Date.parse(mine!.lastMessageAt));
    expect(ids(await list('?tab=waiting'))).toEqual([german]);
    expect(ids(await list('?tab=open')).sort()).toEqual([english, german].sort());
    expect(ids(await list(''))).toHaveLength(2);
    expect(await list('?tab=resolved')).toEqual([]);
    expect((await call(t.url, ANA.token, 'GET', '/agent/api/handoffs?tab=everything')).status).toBe(400);
    expect((await call(t.url, ANA.token, 'GET', '/agent/api/handoffs?sort=up')).status).toBe(400);
  });

  it('filters by queue, channel and language; nothing outside the agent\'s queues', async () => {
    expect(ids(await list('?language=de'))).toEqual([german]);
    expect((await list('?language=de'))[0]!.customer.language).toBe('de');
    expect(ids(await list('?channel=web')).sort()).toEqual([english, german].sort());
    expect(await list('?channel=whatsapp')).toEqual([]);
    expect(ids(await list('?queue=support'))).toHaveLength(2);
    expect(await list('?queue=billing')).toEqual([]);
    expect(await list('', BEN.token)).toEqual([]);
  });

  it("searches the customers' messages and the notes the agent may see", async () => {
    expect(ids(await list('?q=mixer'))).toEqual([german]);
    expect(await list('?q=mixer', BEN.token)).toEqual([]);
    await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${english}/notes`, { text: 'VIP customer, offer express shipping' });
    expect(ids(await list('?q=express shipping'))).toEqual([english]);
    expect(await list('?q=100%25')).toEqual([]);
    expect(await list('?q=_')).toEqual([]);
  });

  it("counts each agent's unread customer messages from their read marker", async () => {
    const unread = async (id: string, token = ANA.token) => (await list('?tab=open', token)).find((h) => h.id === id)!.unread;
    expect(await unread(german)).toBe(2); // "Mein Mixer ist kaputt", "human"
    expect((await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${german}/read`)).status).toBe(204);
    expect(await unread(german)).toBe(0);
    await say(t.url, 'list-de', 'de-2', { text: 'Hallo?' });
    await say(t.url, 'list-de', 'de-3', { text: 'Ist jemand da?' });
    expect(await unread(german)).toBe(2);
    expect((await list('?tab=open')).find((h) => h.id === german)!.preview).toBe('Ist jemand da?');
    // The tabs' counts, for badges and the page title; unread: the English customer's "human" and the two German lines.
    const counts = (await call(t.url, ANA.token, 'GET', '/agent/api/handoffs')).json.counts;
    expect(counts).toEqual({ waiting: 1, mine: 1, open: 2, unread: 3 });
    expect((await call(t.url, BEN.token, 'POST', `/agent/api/handoffs/${german}/read`)).status).toBe(404);
    await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${english}/resolve`, { outcome: 'done' });
    expect(ids(await list('?tab=resolved'))).toEqual([english]);
    expect((await list('?tab=resolved'))[0]!.unread).toBe(0);
  });
});
