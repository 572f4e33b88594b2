import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, say } from '../support/app.ts';
import { ANA, asAgent, startHandoffApp, type HandoffApp } from './support.ts';
import { call, handOver } from './workspace-support.ts';

/** A conversation's sidebar (issue 17): who the customer is, why they are here, what the bot and the knowledge base did. */
describe("the conversation's sidebar", () => {
  let t: HandoffApp;
  beforeAll(async () => {
    t = await startHandoffApp();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('shows the customer, the reason and summary, the variables in words, what the knowledge base answered', async () => {
    await say(t.url, 'detail-1', 'q1', { text: 'can I return my headphones?' });
    await say(t.url, 'detail-1', 'q2', { text: 'who designed your logo' });
    const id = await handOver(t, 'detail-1', 'human');
    const detail = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}`);
    expect(detail.status).toBe(200);
    const { sidebar } = detail.json;
    expect(sidebar.customer).toMatchObject({
      name: null, channels: ['web'], identities: [{ channel: 'web', identity: 'detail-1', phone: null }], language: 'en', preferredChannel: 'web',
      consent: [{ channel: 'web', purpose: 'service', state: 'granted', since: expect.any(String) }],
    });
    expect(sidebar.flow).toBe('human');
    expect(sidebar.reason).toBe('customer asked for a person');
    expect(sidebar.summary).toContain('can I return my headphones?');
    expect(sidebar.knowledge).toEqual([
      expect.objectContaining({ question: 'can I return my headphones?', articleTitle: 'Return policy', answered: true }),
      { question: 'who designed your logo', articleTitle: null, answered: false, answer: null },
    ]);
    expect(sidebar.previous).toEqual([]);
  });

  it("flags a draft written in another language than the customer's", async () => {
    await postJson(`${t.url}/api/webchat/messages`, { conversationId: 'detail-de', messageId: 'd1', text: 'Ich möchte mit einem Menschen sprechen', locale: 'de' });
    const id = await handOver(t, 'detail-de', 'human');
    const check = (text: string) => call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${id}/language-check`, { text });
    expect((await check('Hello, I will look into your order right away.')).json).toEqual({ customerLanguage: 'de', replyLanguage: 'en', differs: true });
    expect((await check('Hallo, ich sehe mir Ihre Bestellung gleich an.')).json).toEqual({ customerLanguage: 'de', replyLanguage: 'de', differs: false });
    expect((await check('BW-12345')).json).toEqual({ customerLanguage: 'de', replyLanguage: null, differs: false });
    expect((await check('')).status).toBe(400);
  });
});
