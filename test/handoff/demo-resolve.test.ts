import { afterEach, describe, expect, it } from 'vitest';
import type { KnowledgePort } from '../../src/core/knowledge-port.ts';
import { demoFlowsDir, say } from '../support/app.ts';
import { ANA, asAgent, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';

/** The demo shop's own flows (flows/): a person resolves, the bot is back at the menu, the rating is stored. */
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

// The demo's questions here are all answered by flows; the knowledge base is never asked.
const quietKnowledge: KnowledgePort = { answer: async (question) => ({ question, results: [], confidence: 0, answer: null, sources: [] }) };

describe('the demo flows: resolve → closing notice → rating → menu → the bot again', () => {
  it('a resolved conversation is closed, rated 4 (stored), then back at the menu, and the bot answers the next message', async () => {
    const t = (running = await startHandoffApp({ FLOWS_DIR: demoFlowsDir }, { knowledge: quietKnowledge }));
    expect((await say(t.url, 'demo1', 'm1', { text: 'hi' })).replies.at(-1)?.text).toBe('What can I help you with? Tap a button or just tell me what you need.');
    const handingOver = await say(t.url, 'demo1', 'm2', { text: 'can I talk to a real person' });
    expect(handingOver.replies.map((r) => r.text).join(' ')).toMatch(/passing you to a colleague.*You are number 1 in the queue\./s);
    expect((await say(t.url, 'demo1', 'm3', { text: 'hello?' })).replies).toEqual([]);

    const id = (await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]))!.id;
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/claim`, {});
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/replies`, { messageId: 'a1', text: 'Hi, Ana here. Your refund went out today.' });
    expect((await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/resolve`, { outcome: 'refund confirmed' })).status).toBe(200);

    const lines = await eventually(async () => {
      const all = await webTranscript(t.url, 'demo1');
      return all.some((l) => l.text.startsWith('Your conversation with Ana')) ? all.filter((l) => l.direction === 'out').map((l) => l.text) : undefined;
    });
    expect(lines.slice(-4)).toEqual([
      'Ana from our team is here to help you now.',
      'Hi, Ana here. Your refund went out today.',
      'Your conversation with Ana is finished.',
      'How would you rate the help you got, from 1 (poor) to 5 (excellent)?',
    ]);
    const conversation = (await t.app.store.findConversation('web', 'demo1'))!;
    const [rating] = (await t.app.store.transcript(conversation.id, { limit: 1000 })).slice(-1);
    expect(rating!.buttons.map((b) => b.payload)).toEqual(['#rate:1', '#rate:2', '#rate:3', '#rate:4', '#rate:5']);

    expect((await say(t.url, 'demo1', 'm4', { text: '4' })).replies.map((r) => r.text)).toEqual([
      'Thank you for your feedback!', 'What can I help you with? Tap a button or just tell me what you need.',
    ]);
    expect(await t.handoffs.get(id)).toMatchObject({ status: 'resolved', outcome: 'refund confirmed', rating: 4 });
    expect((await say(t.url, 'demo1', 'm5', { text: 'where is my order' })).replies.map((r) => r.text)).toEqual([
      "Happy to help! What's your order number? You'll find it in your order confirmation email. It looks like BW-12345.",
    ]);
  });
});
