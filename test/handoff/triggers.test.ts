import { afterEach, describe, expect, it } from 'vitest';
import type { KnowledgeAnswer, KnowledgePort } from '../../src/core/knowledge-port.ts';
import { say } from '../support/app.ts';
import { ANA, asAgent, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';

/**
 * Every way a conversation reaches a person, through the real turn pipeline (web chat HTTP endpoint, PGlite, the
 * real Redis and BullMQ): the customer sees they are handed over with their place in the queue, the bot goes
 * quiet, and agents find the handoff with why it happened.
 */
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const texts = (replies: { text: string }[]) => replies.map((reply) => reply.text);

async function openHandoff(t: HandoffApp, conversationId: string) {
  const conversation = await t.app.store.findConversation('web', conversationId);
  return conversation ? t.handoffs.openFor(conversation.id) : null;
}

describe('handoff triggers', () => {
  it('hands over when the customer asks for a person in their own words, even in the middle of a question', async () => {
    const t = (running = await startHandoffApp());
    await say(t.url, 'c1', 'm1', { text: 'where is my order' });
    const asked = await say(t.url, 'c1', 'm2', { text: 'honestly, can I just talk to a real person please' });
    expect(texts(asked.replies)).toEqual([
      "Of course! I'm passing you to a colleague.",
      'A person from our team will be with you shortly. You are number 1 in the queue.',
    ]);
    const handoff = await openHandoff(t, 'c1');
    expect(handoff).toMatchObject({ status: 'waiting', trigger: 'customer_request', queue: 'support' });
    expect(handoff!.context.flow).toMatchObject({ flow: 'order_status', step: 'ask_number' });
    expect(handoff!.context.transcript.map((line) => [line.from, line.text])).toContainEqual(['customer', 'where is my order']);

    // While a person has it, the bot says nothing of its own: not to a question it could answer, not to "menu".
    expect((await say(t.url, 'c1', 'm3', { text: 'where is my order' })).replies).toEqual([]);
    expect((await say(t.url, 'c1', 'm4', { payload: 'menu' })).replies).toEqual([]);
  });

  it('understands a German request for a person', async () => {
    const t = (running = await startHandoffApp());
    const reply = await say(t.url, 'de1', 'm1', { text: 'Kann ich bitte mit einem Mitarbeiter sprechen?' });
    expect(texts(reply.replies)[0]).toBe("Of course! I'm passing you to a colleague.");
    expect(await openHandoff(t, 'de1')).toMatchObject({ trigger: 'customer_request' });
  });

  it("records an ask that ran out of retries, with the flow, the step and what the customer typed", async () => {
    const t = (running = await startHandoffApp());
    await say(t.url, 'a1', 'm1', { text: 'order status' });
    await say(t.url, 'a1', 'm2', { text: '12345' });
    const failed = await say(t.url, 'a1', 'm3', { text: 'no idea, 999' });
    expect(texts(failed.replies)).toEqual([
      "I'll pass you to a colleague who can look it up.",
      'A person from our team will be with you shortly. You are number 1 in the queue.',
    ]);
    const handoff = await openHandoff(t, 'a1');
    expect(handoff).toMatchObject({ trigger: 'ask_failed', reason: "could not read the customer's order number" });
    expect(handoff!.context.flow).toMatchObject({ flow: 'order_status', step: 'ask_number' });
    expect(handoff!.context.summary).toContain('order status');
  });

  it('hands an angry customer over at once, ahead of calmer ones', async () => {
    const t = (running = await startHandoffApp());
    await say(t.url, 'calm', 'm1', { text: 'agent' });
    const angry = await say(t.url, 'angry', 'm1', { text: 'this is fucking useless' });
    expect(texts(angry.replies)).toEqual([
      "I'm sorry this has been frustrating. I'm passing you to a colleague right away, together with this conversation.",
      // Urgent: served before the calm customer who asked first.
      'A person from our team will be with you shortly. You are number 1 in the queue.',
    ]);
    expect(await openHandoff(t, 'angry')).toMatchObject({ trigger: 'frustration', priority: 1 });
  });

  it('hands over when the customer asks the same question again, annoyed', async () => {
    const t = (running = await startHandoffApp());
    await say(t.url, 'r1', 'm1', { text: 'do you ship to Canada' });
    const again = await say(t.url, 'r1', 'm2', { text: 'do you ship to canada?? this is ridiculous' });
    expect(texts(again.replies)[0]).toMatch(/sorry this has been frustrating/);
    const handoff = await openHandoff(t, 'r1');
    expect(handoff?.reason).toBe('the customer is frustrated (angry words and the same question again)');
  });

  it('hands over when the knowledge base declines twice in a row, and shows what it returned', async () => {
    const declining: KnowledgePort = {
      async answer(question): Promise<KnowledgeAnswer> {
        return { question, results: [{ id: 'faq/shipping', title: 'Shipping', score: 1.5, passage: 'We ship in the EU.' }], confidence: 0.1, answer: null, sources: [] };
      },
    };
    const t = (running = await startHandoffApp({}, { knowledge: declining }));
    const first = await say(t.url, 'k1', 'm1', { text: 'can I pay with crypto' });
    expect(texts(first.replies)[0]).toMatch(/not sure I know the answer/);
    expect(await openHandoff(t, 'k1')).toBeNull();
    const second = await say(t.url, 'k1', 'm2', { text: 'do you sell refurbished phones' });
    expect(texts(second.replies)).toEqual([
      "I couldn't find a good answer to that. I'm passing you to a colleague, together with this conversation.",
      'A person from our team will be with you shortly. You are number 1 in the queue.',
    ]);
    const handoff = await openHandoff(t, 'k1');
    expect(handoff?.trigger).toBe('kb_declined');
    expect(handoff?.context.knowledge.map((k) => [k.question, k.answer, k.results[0]?.title])).toEqual([
      ['can I pay with crypto', null, 'Shipping'],
      ['do you sell refurbished phones', null, 'Shipping'],
    ]);
  });

  it('puts one BullMQ job per handoff on the queue, its id the handoff id, and shows it to agents', async () => {
    const t = (running = await startHandoffApp());
    await say(t.url, 'q1', 'm1', { text: 'human' });
    const handoff = (await openHandoff(t, 'q1'))!;
    const { Queue } = await import('bullmq');
    const queue = new Queue('handoffs', { connection: { host: '127.0.0.1', port: 6379 }, prefix: t.prefix });
    try {
      const job = await eventually(async () => (await queue.getJob(handoff.id)) ?? undefined);
      expect(job.opts).toMatchObject({ priority: 3, attempts: 8, backoff: { type: 'exponential', delay: 1000 } });
      await eventually(async () => ((await queue.getJobState(handoff.id)) === 'completed' ? true : undefined));
      await queue.add('announce', { handoffId: handoff.id }, { jobId: handoff.id });
      expect(await queue.getJobCounts('waiting', 'prioritized', 'active', 'completed', 'failed')).toMatchObject({ completed: 1 });
      expect(Object.values(await queue.getJobCounts()).reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await queue.close();
    }
    const list = await asAgent(t.url, ANA.token, '/agent/api/handoffs');
    expect(list.json.handoffs.map((h: { id: string; reason: string }) => [h.id, h.reason])).toEqual([[handoff.id, 'customer asked for a person']]);
    expect((await t.handoffs.get(handoff.id))?.announcedAt).toBeInstanceOf(Date);
  });

  it('offers a waiting customer to leave a message; the handoff stays open', async () => {
    const t = (running = await startHandoffApp({ HANDOFF_NOTICE_EVERY_MS: '1000', HANDOFF_OFFER_MESSAGE_AFTER_MS: '2500' }));
    await say(t.url, 'w1', 'm1', { text: 'agent please' });
    const lines = await eventually(async () => {
      const all = await webTranscript(t.url, 'w1');
      return all.some((m) => m.text.startsWith('Sorry, everyone is busy')) ? all : undefined;
    });
    const out = lines.filter((m) => m.direction === 'out').map((m) => m.text);
    // Still number 1, with no typical wait known: nothing new to say before the offer (queue-notices.test.ts).
    expect(out.filter((text) => /number \d+ in the queue/.test(text))).toEqual(['A person from our team will be with you shortly. You are number 1 in the queue.']);
    expect(out.at(-1)).toMatch(/leave your message here/);
    expect(await openHandoff(t, 'w1')).toMatchObject({ status: 'waiting' });
    // The customer leaves their message: recorded for the agent, no bot answer.
    expect((await say(t.url, 'w1', 'm2', { text: 'please email me at x@example.com' })).replies).toEqual([]);
  });
});
