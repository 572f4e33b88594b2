import { afterEach, describe, expect, it } from 'vitest';
import { ANA, asAgent, collectFrames, eventually, startHandoffApp, type HandoffApp } from './support.ts';

/**
 * "Leave a message and be answered later", end to end through the web chat widget's socket: nobody claims, the
 * customer is offered to leave a message, leaves it and goes away; an agent answers later from the console; the
 * reply is stored and delivered through the outbox, and the customer finds it in their history when they come back.
 */
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const outgoing = (frames: any[]) => frames.filter((f) => f.type === 'message' && f.message.direction === 'out').map((f) => f.message.text as string);

describe('leave a message, answered later on the conversation channel', () => {
  it('a reply written after the customer left reaches them when they come back', async () => {
    const t = (running = await startHandoffApp({ HANDOFF_NOTICE_EVERY_MS: '60000', HANDOFF_OFFER_MESSAGE_AFTER_MS: '1000' }));
    const socketUrl = `${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=lm1`;

    // The customer asks for a person; nobody claims; they are offered to leave a message, leave it, and leave.
    const first = await collectFrames(socketUrl);
    await eventually(async () => first.frames.find((f) => f.type === 'history'));
    first.socket.send(JSON.stringify({ type: 'message', messageId: 'c1', text: 'agent please' }));
    await eventually(async () => (outgoing(first.frames).some((text) => /leave your message here/.test(text)) ? true : undefined), 15_000);
    const left = 'My Wave 700 stopped charging after a week. Order BW-12345. Email is fine.';
    first.socket.send(JSON.stringify({ type: 'message', messageId: 'c2', text: left }));
    await eventually(async () => first.frames.find((f) => f.type === 'ack' && f.messageId === 'c2'));
    first.socket.close();

    // The handoff stays open; the agent finds the message in its transcript and answers later.
    const handoff = (await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]))!;
    expect(handoff.status).toBe('waiting');
    const detail = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff.id}`);
    expect(detail.json.transcript.at(-1)).toMatchObject({ kind: 'customer', text: left });
    const reply = 'Sorry about your Wave 700: a replacement is on its way, no need to send the old one back.';
    const sent = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff.id}/replies`, { messageId: 'later-1', text: reply });
    expect(sent.status).toBe(200);

    // Stored, and delivered through the outbox (nobody is listening on the web: the delivery still completes).
    const conversation = (await t.app.store.findConversation('web', 'lm1'))!;
    const stored = await eventually(async () => {
      const messages = await t.app.store.transcript(conversation.id, { limit: 1000 });
      const found = messages.find((m) => m.text === reply);
      return found?.status === 'sent' ? found : undefined;
    });
    expect(stored).toMatchObject({ direction: 'out', channel: 'web', status: 'sent' });

    // The customer comes back: the widget's history shows what happened while they were away, in order, and
    // nothing from the bot between their message and the agent.
    const back = await collectFrames(socketUrl);
    const history = await eventually(async () => back.frames.find((f) => f.type === 'history'));
    const texts = history.messages.map((m: { direction: string; text: string }) => `${m.direction}: ${m.text}`);
    expect(texts.slice(texts.indexOf(`in: ${left}`))).toEqual([
      `in: ${left}`,
      'out: Ana from our team is here to help you now.',
      `out: ${reply}`,
    ]);
    back.socket.close();
  });
});
