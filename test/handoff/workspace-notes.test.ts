import { afterEach, describe, expect, it } from 'vitest';
import { parseHandoffContext } from '../../src/handoff/context.ts';
import { say } from '../support/app.ts';
import { ANA, asAgent, BEN, collectFrames, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';
import { call, handOver, storedTexts } from './workspace-support.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * Private notes (issue 17): agents only, in the agent's transcript, exported and erased with the customer, and in no
 * reader of messages: the web chat's history and socket, the outbox, the next handoff's context and summary. The
 * Slack and Bot Framework desks and the model's prompts: workspace-notes-readers.test.ts.
 */
const NOTE = 'PRIVATE-NOTE customer sounded upset, check refund BW-99999 before answering';
const ADMIN_TOKEN = 'admin-token-for-notes-0123456789';
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('private notes', () => {
  it('are kept in the agent transcript, pushed to the queue\'s agents, refused to others and when empty', async () => {
    const t = (running = await startHandoffApp());
    const ws = t.url.replace('http', 'ws');
    const ana = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${ANA.token}` });
    const ben = await collectFrames(`${ws}/agent/api/socket`, { authorization: `Bearer ${BEN.token}` });
    const id = await handOver(t, 'note-1');
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/claim`, {});
    // The claim notice the customer got reaches the agents' open transcripts live, as a notice.
    await eventually(async () => ana.frames.find((f) => f.type === 'line' && f.kind === 'notice' && f.line.text === 'Ana from our team is here to help you now.'));
    const added = await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${id}/notes`, { text: `  ${NOTE}  ` });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ id: expect.any(String), text: NOTE, at: expect.any(String), by: { id: 'ana', name: 'Ana' } });
    const pushed = await eventually(async () => ana.frames.find((f) => f.type === 'note'));
    expect(pushed).toMatchObject({ handoffId: id, note: { text: NOTE, by: { id: 'ana', name: 'Ana' } } });

    const detail = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}`);
    const kinds = detail.json.transcript.map((e: { kind: string; text: string }) => `${e.kind}: ${e.text}`);
    // The claim notice the customer received is in the agent's transcript, as a notice, and the note after it.
    expect(kinds.slice(-2)).toEqual(['notice: Ana from our team is here to help you now.', `note: ${NOTE}`]);
    expect(detail.json.transcript.at(-1).by).toEqual({ id: 'ana', name: 'Ana' });

    expect((await call(t.url, BEN.token, 'POST', `/agent/api/handoffs/${id}/notes`, { text: 'hi' })).status).toBe(404);
    expect((await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${id}/notes`, { text: '   ' })).status).toBe(400);
    expect((await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${id}/notes`, { text: 'x'.repeat(4001) })).status).toBe(400);
    expect((await call(t.url, 'not-a-token', 'POST', `/agent/api/handoffs/${id}/notes`, { text: 'hi' })).status).toBe(401);
    expect(ben.frames.filter((f) => f.type === 'note')).toEqual([]);
    ana.socket.close();
    ben.socket.close();
  });

  it("never reach the customer's web chat: not its history, not its socket, not the outbox", async () => {
    const t = (running = await startHandoffApp());
    const customer = await collectFrames(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=note-2`);
    const id = await handOver(t, 'note-2');
    await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${id}/notes`, { text: NOTE });
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}/replies`, { messageId: 'after-note', text: 'Hello, I am looking into it.' });
    await eventually(async () => customer.frames.find((f) => f.message?.text === 'Hello, I am looking into it.'));
    expect(JSON.stringify(customer.frames)).not.toContain('PRIVATE-NOTE');
    expect(JSON.stringify(await webTranscript(t.url, 'note-2'))).not.toContain('PRIVATE-NOTE');
    // The outbox sends messages only, and no message holds the note.
    expect((await storedTexts(t, 'note-2')).filter((text) => text.includes('PRIVATE-NOTE'))).toEqual([]);
    customer.socket.close();
  });

  it("stay out of the next handoff's context and summary, and stay in the agent's transcript", async () => {
    const t = (running = await startHandoffApp());
    const first = await handOver(t, 'note-3');
    await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${first}/notes`, { text: NOTE });
    await asAgent(t.url, ANA.token, `/agent/api/handoffs/${first}/resolve`, { outcome: 'done' });
    await say(t.url, 'note-3', 'again', { text: 'human' });
    const conversation = await t.app.store.findConversation('web', 'note-3');
    const second = await eventually(async () => (await t.handoffs.openFor(conversation!.id)) ?? undefined);
    expect(second.id).not.toBe(first);
    const context = parseHandoffContext(second.context);
    expect(context.transcript.length).toBeGreaterThan(3);
    expect(JSON.stringify(context)).not.toContain('PRIVATE-NOTE');
    const detail = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${second.id}`);
    expect(JSON.stringify(detail.json.context)).not.toContain('PRIVATE-NOTE');
    expect(detail.json.transcript.filter((e: { kind: string }) => e.kind === 'note').map((e: { text: string }) => e.text)).toEqual([NOTE]);
    expect(detail.json.sidebar.previous).toEqual([expect.objectContaining({ id: first, status: 'resolved' })]);
  });

  it("are in the customer's data export, and erased with the customer", async () => {
    const t = (running = await startHandoffApp({ ADMIN_TOKEN }));
    const id = await handOver(t, 'note-4');
    await call(t.url, ANA.token, 'POST', `/agent/api/handoffs/${id}/notes`, { text: NOTE });
    const customerId = (await t.handoffs.get(id))!.context.customer.id;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const exported = await (await fetch(`${t.url}/admin/customers/${customerId}/export`, { headers: auth })).json();
    expect(exported.tables.handoff_notes).toEqual([expect.objectContaining({ text: NOTE, agent_id: 'ana', handoff_id: id })]);
    expect((await fetch(`${t.url}/admin/customers/${customerId}/erase`, { method: 'POST', headers: auth })).status).toBe(200);
    const left = await sqlOf(t.app.store).query(`SELECT 1 FROM handoff_notes WHERE text LIKE '%PRIVATE-NOTE%'`);
    expect(left.rowCount).toBe(0);
  });
});
