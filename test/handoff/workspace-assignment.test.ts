import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/handoff/agents.ts';
import { say } from '../support/app.ts';
import { collectFrames, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';
import { call, handOver } from './workspace-support.ts';

/** Assignment in the workspace (issue 17): assign, transfer with a note, availability, automatic assignment, viewers. */
const TOKENS = { ana: 'ana-token-assign-0123456789', cleo: 'cleo-token-assign-0123456789', ben: 'ben-token-assign-0123456789' };
const AGENTS = JSON.stringify([
  { id: 'ana', name: 'Ana', queues: ['support'], token: hashToken(TOKENS.ana) },
  { id: 'cleo', name: 'Cleo', queues: ['support'], token: hashToken(TOKENS.cleo) },
  { id: 'ben', name: 'Ben', queues: ['billing'], token: hashToken(TOKENS.ben) },
]);
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const start = (env: Record<string, string> = {}) => startHandoffApp({ AGENTS, ...env });

describe('assignment', () => {
  it('assigns to an agent of the queue, and transfers to another queue with a private note', async () => {
    const t = (running = await start());
    const ws = t.url.replace('http', 'ws');
    const anaSocket = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${TOKENS.ana}` });
    const benSocket = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${TOKENS.ben}` });
    const id = await handOver(t, 'assign-1', 'human', TOKENS.ana);
    expect((await call(t.url, TOKENS.ana, 'POST', `/agent/api/handoffs/${id}/assign`, { agentId: 'ben' })).status).toBe(400);
    expect((await call(t.url, TOKENS.ben, 'POST', `/agent/api/handoffs/${id}/assign`, { agentId: 'ben' })).status).toBe(404);
    const assigned = await call(t.url, TOKENS.ana, 'POST', `/agent/api/handoffs/${id}/assign`, { agentId: 'cleo' });
    expect(assigned.status).toBe(200);
    expect(assigned.json.handoff).toMatchObject({ status: 'claimed', agentId: 'cleo', agentName: 'Cleo' });
    await eventually(async () => ((await webTranscript(t.url, 'assign-1')).some((l) => l.text === 'Cleo from our team is here to help you now.') ? true : undefined));
    await eventually(async () => anaSocket.frames.find((f) => f.type === 'assigned' && f.agent.id === 'cleo'));
    const mine = await call(t.url, TOKENS.cleo, 'GET', '/agent/api/handoffs?tab=mine');
    expect(mine.json.handoffs.map((h: { id: string }) => h.id)).toEqual([id]);
    expect(mine.json.handoffs[0].assignee).toEqual({ id: 'cleo', name: 'Cleo' });

    expect((await call(t.url, TOKENS.cleo, 'POST', `/agent/api/handoffs/${id}/transfer`, { queue: 'nowhere' })).status).toBe(400);
    const moved = await call(t.url, TOKENS.cleo, 'POST', `/agent/api/handoffs/${id}/transfer`, { queue: 'billing', note: 'Refund question: billing knows the invoice.' });
    expect(moved.status).toBe(200);
    expect(moved.json.handoff).toMatchObject({ queue: 'billing', status: 'waiting', agentId: null });
    await eventually(async () => anaSocket.frames.find((f) => f.type === 'transferred' && f.handoffId === id && f.to === 'billing'));
    await eventually(async () => benSocket.frames.find((f) => f.type === 'handoff' && f.handoff.id === id && f.handoff.queue === 'billing'));
    expect((await call(t.url, TOKENS.ana, 'GET', `/agent/api/handoffs/${id}`)).status).toBe(404);
    const forBen = await call(t.url, TOKENS.ben, 'GET', `/agent/api/handoffs/${id}`);
    expect(forBen.json.context.queue).toBe('billing');
    expect(forBen.json.transcript.filter((e: { kind: string }) => e.kind === 'note')).toEqual([
      expect.objectContaining({ text: 'Refund question: billing knows the invoice.', by: { id: 'cleo', name: 'Cleo' } }),
    ]);
    expect((await call(t.url, TOKENS.ben, 'GET', '/agent/api/handoffs?tab=waiting')).json.handoffs.map((h: { id: string }) => h.id)).toEqual([id]);
    // The note is the agents' only.
    expect(JSON.stringify(await webTranscript(t.url, 'assign-1'))).not.toContain('billing knows the invoice');
    anaSocket.socket.close();
    benSocket.socket.close();
  });

  it('assigns automatically, round-robin among the available agents of the queue, each up to the cap', async () => {
    const t = (running = await start({ HANDOFF_AUTO_ASSIGN: JSON.stringify({ support: { maxPerAgent: 2 } }) }));
    const agentOf = async (id: string) => (await t.handoffs.get(id))?.agentId ?? null;
    expect((await call(t.url, TOKENS.ana, 'PUT', '/agent/api/me/availability', { available: 'yes' })).status).toBe(400);
    const h1 = await handOver(t, 'auto-1', 'human', TOKENS.ana);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await agentOf(h1)).toBeNull(); // nobody is available yet
    expect((await call(t.url, TOKENS.ana, 'GET', '/agent/api/me')).json.agent.available).toBe(false);
    expect((await call(t.url, TOKENS.ana, 'PUT', '/agent/api/me/availability', { available: true })).json).toEqual({ available: true });
    expect((await call(t.url, TOKENS.ana, 'GET', '/agent/api/me')).json.agent.available).toBe(true);
    expect(await agentOf(h1)).toBe('ana');
    await call(t.url, TOKENS.cleo, 'PUT', '/agent/api/me/availability', { available: true });
    const agents = await call(t.url, TOKENS.ben, 'GET', '/agent/api/agents');
    expect(agents.json.agents).toEqual([
      { id: 'ana', name: 'Ana', available: true, queues: ['support'] },
      { id: 'cleo', name: 'Cleo', available: true, queues: ['support'] },
      { id: 'ben', name: 'Ben', available: false, queues: ['billing'] },
    ]);
    const next = async (conversation: string) => {
      const id = await handOver(t, conversation, 'human', TOKENS.ana);
      return eventually(async () => (await agentOf(id)) ?? undefined).then((agent) => ({ id, agent }));
    };
    const h2 = await next('auto-2');
    const h3 = await next('auto-3');
    const h4 = await next('auto-4');
    expect([h2.agent, h3.agent, h4.agent]).toEqual(['cleo', 'ana', 'cleo']);
    await eventually(async () => ((await webTranscript(t.url, 'auto-2')).some((l) => l.text === 'Cleo from our team is here to help you now.') ? true : undefined));
    // Both hold two: the fifth waits, until Ana resolves one of hers.
    const h5 = await handOver(t, 'auto-5', 'human', TOKENS.ana);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await agentOf(h5)).toBeNull();
    await call(t.url, TOKENS.ana, 'POST', `/agent/api/handoffs/${h1}/resolve`, { outcome: 'done' });
    expect(await eventually(async () => (await agentOf(h5)) ?? undefined)).toBe('ana');
    // An agent who is away gets nothing new.
    await call(t.url, TOKENS.cleo, 'PUT', '/agent/api/me/availability', { available: false });
    await call(t.url, TOKENS.cleo, 'POST', `/agent/api/handoffs/${h2.id}/resolve`, { outcome: 'done' });
    const h6 = await handOver(t, 'auto-6', 'human', TOKENS.ana);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await agentOf(h6)).toBeNull();
  });

  it('shows who else is viewing a conversation, to the agents of its queue', async () => {
    const t = (running = await start());
    const ws = t.url.replace('http', 'ws');
    const ana = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${TOKENS.ana}` });
    const cleo = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${TOKENS.cleo}` });
    const ben = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${TOKENS.ben}` });
    await say(t.url, 'view-1', 'm1', { text: 'human' });
    const id = (await eventually(async () => ana.frames.find((f) => f.type === 'handoff'))).handoff.id;
    const viewers = (frames: any[]) => frames.filter((f) => f.type === 'viewers' && f.handoffId === id).map((f) => f.agents.map((a: { name: string }) => a.name).join(','));
    ana.socket.send(JSON.stringify({ type: 'viewing', handoffId: id }));
    await eventually(async () => (viewers(cleo.frames).includes('Ana') ? true : undefined));
    cleo.socket.send(JSON.stringify({ type: 'viewing', handoffId: id }));
    await eventually(async () => (viewers(ana.frames).includes('Ana,Cleo') ? true : undefined));
    ana.socket.close();
    await eventually(async () => (viewers(cleo.frames).at(-1) === 'Cleo' ? true : undefined));
    ben.socket.send(JSON.stringify({ type: 'viewing', handoffId: id }));
    await eventually(async () => ben.frames.find((f) => f.type === 'error'));
    ben.socket.send('not json');
    await eventually(async () => (ben.frames.filter((f) => f.type === 'error').length === 2 ? true : undefined));
    expect(viewers(ben.frames)).toEqual([]);
    cleo.socket.close();
    ben.socket.close();
  });
});
