import { afterEach, describe, expect, it } from 'vitest';
import { ANA, asAgent, BEN, collectFrames, eventually, startHandoffApp, type HandoffApp } from './support.ts';
import { handOver, storedTexts } from './workspace-support.ts';

/**
 * The web chat and the workspace while a person has the conversation (issue 17): typing both ways over the live
 * connections (nothing stored, at most one every two seconds), and the agent's name on their replies.
 */
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('typing and the agent\'s name in the web chat', () => {
  it("passes typing on both ways without storing it, and shows the agent's name on their replies", async () => {
    const t = (running = await startHandoffApp());
    const ws = t.url.replace('http', 'ws');
    const id = await handOver(t, 'typing-1');
    const customer = await collectFrames(`${ws}/api/webchat/socket?conversationId=typing-1`);
    await eventually(async () => customer.frames.find((f) => f.type === 'history'));
    const ana = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${ANA.token}` });
    const ben = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${BEN.token}` });
    await eventually(async () => (ana.frames.find((f) => f.type === 'ready') && ben.frames.find((f) => f.type === 'ready') ? true : undefined));
    const before = await storedTexts(t, 'typing-1');

    customer.socket.send(JSON.stringify({ type: 'typing' }));
    customer.socket.send(JSON.stringify({ type: 'typing' }));
    expect(await eventually(async () => ana.frames.find((f) => f.type === 'typing'))).toEqual({ type: 'typing', handoffId: id, queue: 'support', who: 'customer' });
    ana.socket.send(JSON.stringify({ type: 'typing', handoffId: id }));
    ana.socket.send(JSON.stringify({ type: 'typing', handoffId: id }));
    expect(await eventually(async () => customer.frames.find((f) => f.type === 'typing'))).toEqual({ type: 'typing', who: 'agent', name: 'Ana' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Once each within two seconds, to the agents of the queue only, and nothing stored.
    expect(ana.frames.filter((f) => f.type === 'typing')).toHaveLength(1);
    expect(customer.frames.filter((f) => f.type === 'typing')).toHaveLength(1);
    expect(ben.frames.filter((f) => f.type === 'typing')).toEqual([]);
    expect(customer.frames.filter((f) => f.type === 'error')).toEqual([]);
    expect(await storedTexts(t, 'typing-1')).toEqual(before);

    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/replies`, { messageId: 'named-1', text: 'Hi, Ana here.' });
    const live = await eventually(async () => customer.frames.find((f) => f.type === 'message' && f.message.text === 'Hi, Ana here.'));
    expect(live.message.sender).toEqual({ name: 'Ana' });
    const history = (await (await fetch(`${t.url}/api/webchat/conversations/typing-1/messages`)).json()).messages as Array<{ text: string; sender?: { name: string } }>;
    expect(history.find((m) => m.text === 'Hi, Ana here.')?.sender).toEqual({ name: 'Ana' });
    expect(history.filter((m) => m.sender).map((m) => m.text)).toEqual(['Hi, Ana here.']);
    for (const socket of [customer, ana, ben]) socket.socket.close();
  });
});
