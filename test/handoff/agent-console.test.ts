import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { ANA, asAgent, BEN, collectFrames as collect, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';

/** The web agent console's API and socket, as an agent uses them, against a real app. */
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('agent console', () => {
  it('answers nothing without a valid session, and signs an agent in with an HttpOnly cookie', async () => {
    const t = (running = await startHandoffApp());
    const page = await fetch(`${t.url}/agent`, { redirect: 'manual' });
    expect([page.status, page.headers.get('location')]).toEqual([303, '/agent/login']);
    for (const path of ['/agent/assets/workspace.js', '/agent/api/handoffs', '/agent/api/me']) {
      expect((await fetch(`${t.url}${path}`)).status).toBe(401);
    }
    expect((await asAgent(t.url, 'not-a-token', '/agent/api/handoffs')).status).toBe(401);
    await expect(collect(`${t.url.replace('http', 'ws')}/agent/api/socket`)).rejects.toThrow('refused with 401');
    const wrong = await fetch(`${t.url}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'ana', password: 'guess' }) });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${t.url}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'ana', password: ANA.password }) });
    const cookie = right.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^parley_agent=[^;]+; HttpOnly; SameSite=Strict; Path=\/;/);
    const session = cookie.split(';')[0]!;
    const consolePage = await fetch(`${t.url}/agent`, { headers: { cookie: session } });
    expect(consolePage.status).toBe(200);
    expect(await consolePage.text()).toContain('<title>Parley · Inbox</title>');
    await fetch(`${t.url}/agent/logout`, { method: 'POST', headers: { cookie: session, 'content-type': 'application/json' }, body: '{}' });
    expect((await fetch(`${t.url}/agent/api/me`, { headers: { cookie: session } })).status).toBe(401);
  });

  it('shows a handoff live to the agents of its queue only, with its context', async () => {
    const t = (running = await startHandoffApp());
    const ws = t.url.replace('http', 'ws');
    const ana = await collect(`${ws}/agent/api/socket`, { authorization: `Bearer ${ANA.token}` });
    const ben = await collect(`${ws}/agent/api/socket`, { authorization: `Bearer ${BEN.token}` });
    await say(t.url, 'live1', 'm1', { text: 'warranty claim' });
    await say(t.url, 'live1', 'm2', { text: 'laptop' });
    const shown = await eventually(async () => ana.frames.find((f) => f.type === 'handoff'));
    expect(shown.handoff).toMatchObject({ status: 'waiting', reason: 'warranty claim for laptop', channel: 'web', queue: 'support' });
    const detail = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${shown.handoff.id}`);
    expect(detail.json.context.flow).toMatchObject({ flow: 'warranty', vars: { product: 'laptop' } });
    expect(detail.json.transcript.map((l: { kind: string; text: string }) => `${l.kind}: ${l.text}`)).toEqual([
      'customer: warranty claim', 'bot: Which product is it about?', 'customer: laptop',
      'bot: A colleague will check the warranty for your laptop.', 'bot: A person from our team will be with you shortly. You are number 1 in the queue.',
    ]);
    expect(detail.json.position).toBe(1);
    // Ben works billing: he neither sees nor can open it.
    expect(ben.frames.filter((f) => f.type === 'handoff')).toEqual([]);
    expect((await asAgent(t.url, BEN.token, '/agent/api/handoffs')).json.handoffs).toEqual([]);
    expect((await asAgent(t.url, BEN.token, `/agent/api/handoffs/${shown.handoff.id}`)).status).toBe(404);
    // A customer's message while they wait reaches the agent live.
    await say(t.url, 'live1', 'm3', { text: 'it will not switch on' });
    const line = await eventually(async () => ana.frames.find((f) => f.type === 'line' && f.line.text === 'it will not switch on'));
    expect(line.line).toMatchObject({ from: 'customer', text: 'it will not switch on' });
    ana.socket.close();
    ben.socket.close();
  });

  it('claim, reply (once, however often it is sent), resolve back to the bot, then the rating', async () => {
    const t = (running = await startHandoffApp());
    const customer = await collect(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=r1`);
    await say(t.url, 'r1', 'm1', { text: 'warranty claim' });
    await say(t.url, 'r1', 'm2', { text: 'speaker' });
    const id = (await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]))!.id;
    expect((await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/claim`, {})).json.handoff).toMatchObject({ status: 'claimed', agentName: 'Ana' });
    for (let i = 0; i < 2; i++) {
      const sent = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/replies`, { messageId: 'reply-1', text: 'Hi, I can see your speaker order.' });
      expect(sent.json.duplicate).toBe(i === 1);
    }
    const live = await eventually(async () => customer.frames.find((f) => f.message?.text === 'Hi, I can see your speaker order.'));
    expect(live.message.direction).toBe('out');
    const resolved = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/resolve`, { outcome: 'solved' });
    expect(resolved.json.handoff).toMatchObject({ status: 'resolved', outcome: 'solved' });
    const out = await eventually(async () => {
      const lines = await webTranscript(t.url, 'r1');
      return lines.some((l) => l.text.startsWith('Your conversation with Ana')) ? lines.filter((l) => l.direction === 'out').map((l) => l.text) : undefined;
    });
    expect(out.slice(-4)).toEqual([
      'Ana from our team is here to help you now.',
      'Hi, I can see your speaker order.',
      'Your conversation with Ana is finished.',
      'How would you rate the help you got, from 1 (poor) to 5 (excellent)?',
    ]);
    expect(out.filter((text) => text === 'Hi, I can see your speaker order.')).toHaveLength(1);
    // The closing notice and the rating question are notices in the agent's transcript.
    const detail = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}`);
    expect(detail.json.transcript.slice(-2).map((e: { kind: string }) => e.kind)).toEqual(['notice', 'notice']);
    // The rating question is the last message, so a typed "5" is a rating; the bot's return point follows it.
    expect((await say(t.url, 'r1', 'm3', { text: '5' })).replies.map((r) => r.text)).toEqual([
      'Thank you for your feedback!', 'Welcome back! Anything else about your speaker?',
    ]);
    expect((await t.handoffs.get(id))?.rating).toBe(5);
    expect((await say(t.url, 'r1', 'm4', { text: 'where is my order' })).replies.map((r) => r.text)).toEqual([
      "What's your order number? It looks like BW-12345.",
    ]);
    // Resolved is final.
    expect((await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/replies`, { messageId: 'late', text: 'one more thing' })).status).toBe(409);
    customer.socket.close();
  });

  it('a customer who writes something else instead of rating leaves no rating and is answered by the bot at once', async () => {
    const t = (running = await startHandoffApp());
    await say(t.url, 'm1', 'x1', { text: 'human' });
    const id = (await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]))!.id;
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/resolve`, { outcome: 'not solved' });
    const lines = await eventually(async () => {
      const all = await webTranscript(t.url, 'm1');
      return all.some((l) => l.text.startsWith('Your conversation with Ana')) ? all : undefined;
    });
    expect(lines.slice(-2).map((l) => l.text)).toEqual(['Your conversation with Ana is finished.', 'How would you rate the help you got, from 1 (poor) to 5 (excellent)?']);
    expect((await say(t.url, 'm1', 'x2', { text: 'order status' })).replies.map((r) => r.text)).toEqual(["What's your order number? It looks like BW-12345."]);
    expect(await t.handoffs.get(id)).toMatchObject({ rating: null, outcome: 'not solved' });
  });
});

describe('the bot stays quiet on the web chat socket too', () => {
  it('a customer writing over the WebSocket while a person has the conversation gets no bot message', async () => {
    const t = (running = await startHandoffApp());
    await say(t.url, 'sock1', 'm1', { text: 'human' });
    const customer = await collect(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=sock1`);
    await eventually(async () => customer.frames.find((f) => f.type === 'history'));
    customer.socket.send(JSON.stringify({ type: 'message', messageId: 'w1', text: 'hello? where is my order' }));
    customer.socket.send(JSON.stringify({ type: 'message', messageId: 'w2', payload: 'menu' }));
    await eventually(async () => (customer.frames.filter((f) => f.type === 'ack').length === 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Only what was said after the customer's socket messages counts (the handoff turn's own replies may arrive late).
    const firstIn = Math.min(...customer.frames.filter((f) => f.type === 'message' && f.message.direction === 'in').map((f) => Number(f.message.id)));
    const outgoing = customer.frames.filter((f) => f.type === 'message' && f.message.direction === 'out' && Number(f.message.id) > firstIn);
    expect(Number.isFinite(firstIn)).toBe(true);
    expect(outgoing).toEqual([]);
    expect(customer.frames.filter((f) => f.type === 'message' && f.message.direction === 'in').map((f) => f.message.text)).toEqual(['hello? where is my order', null]);
    customer.socket.close();
  });
});
