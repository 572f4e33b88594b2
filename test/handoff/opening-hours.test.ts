import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { KnowledgePort } from '../../src/core/knowledge-port.ts';
import { postJson, repoRoot, say } from '../support/app.ts';
import { ANA, asAgent, collectFrames, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';
import { handOver } from './workspace-support.ts';

/**
 * Opening hours (OPENING_HOURS), one setting that the handoff notices, the monitor and the web chat's status line read.
 * The hours are set around the real clock, in UTC: open only on the day three days from now.
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ALL_DAY = Object.fromEntries(DAYS.map((day) => [day, '00:00-24:00']));
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function inThreeDays(): { week: Record<string, string>; opening: Date; weekday: string } {
  const now = new Date();
  const opening = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 3, 9, 0));
  return { week: { [DAYS[opening.getUTCDay()]!]: '09:00-17:00' }, opening, weekday: opening.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' }) };
}

describe('opening hours', () => {
  it('outside them: the customer hears when a person is back and may leave a message, once; the status line says so', async () => {
    const { week, opening, weekday } = inThreeDays();
    const t = (running = await startHandoffApp({
      OPENING_HOURS: JSON.stringify({ timeZone: 'UTC', week }), HANDOFF_NOTICE_EVERY_MS: '1000', HANDOFF_OFFER_MESSAGE_AFTER_MS: '1000',
    }));
    const replies = (await say(t.url, 'closed-1', 'm1', { text: 'human' })).replies.map((r) => r.text);
    expect(replies.at(-1)).toBe(
      `Our team is away right now and will be back ${weekday} at 09:00. You can leave your message here, and tell us if you'd rather be answered by email or phone: a person will reply when they are back, and you can close this chat meanwhile.`,
    );
    expect(replies.join(' ')).not.toMatch(/number \d+ in the queue/);
    const german = await postJson(`${t.url}/api/webchat/messages`, { conversationId: 'closed-de', messageId: 'm1', text: 'human', locale: 'de' });
    const wochentag = opening.toLocaleDateString('de-DE', { weekday: 'long', timeZone: 'UTC' });
    expect(german.json.replies.at(-1).text).toMatch(new RegExp(`^Unser Team ist gerade nicht da und am ${wochentag} um 09:00 Uhr wieder für Sie da\\. Sie können Ihre Nachricht hier hinterlassen`));
    const status = await (await fetch(`${t.url}/api/webchat/status`)).json();
    expect(status).toEqual({ open: false, backAt: opening.toISOString(), typicalWaitMinutes: null });
    // The widget hears the same over its live connection, right after the history.
    const socket = await collectFrames(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=closed-1`);
    const frame = await eventually(async () => socket.frames.find((f) => f.type === 'status'));
    expect(frame).toEqual({ type: 'status', ...status });
    expect(socket.frames.findIndex((f) => f.type === 'history')).toBeLessThan(socket.frames.indexOf(frame));
    socket.socket.close();
    // The handoff waits for the agents all the same; the customer's message is there for them.
    await say(t.url, 'closed-1', 'm2', { text: 'My order BW-12345 never arrived, email me please' });
    const handoff = (await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]))!;
    expect(handoff.status).toBe('waiting');
    // No queue notice every few seconds, no second offer (the monitor looks every two seconds).
    const before = (await webTranscript(t.url, 'closed-1')).length;
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect((await webTranscript(t.url, 'closed-1')).length).toBe(before);
  });

  it('the demo flows know it: outside them the human flow promises no colleague now, and the notice says when they are back', async () => {
    const { week, weekday } = inThreeDays();
    const t = (running = await startHandoffApp({ FLOWS_DIR: path.join(repoRoot, 'flows'), OPENING_HOURS: JSON.stringify({ timeZone: 'UTC', week }) }));
    const replies = (await say(t.url, 'closed-demo', 'm1', { text: 'human' })).replies.map((r) => r.text);
    expect(replies).toEqual([
      "Of course! I'm passing this conversation to our support team, so you won't have to repeat yourself.",
      expect.stringMatching(new RegExp(`^Our team is away right now and will be back ${weekday} at 09:00\\.`)),
    ]);
    expect((await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]))!.status).toBe('waiting');
  });

  it('inside them: the usual notices, and the status line has the typical wait of recent handoffs', async () => {
    const t = (running = await startHandoffApp({ OPENING_HOURS: JSON.stringify({ timeZone: 'Europe/Berlin', week: ALL_DAY, queues: { billing: { week: {} } } }) }));
    for (const conversation of ['open-1', 'open-2', 'open-3']) {
      const replies = (await say(t.url, conversation, 'm1', { text: 'human' })).replies.map((r) => r.text);
      expect(replies.at(-1)).toMatch(/^A person from our team will be with you shortly\. You are number \d in the queue\.$/);
    }
    const listed = await eventually(async () => {
      const handoffs = (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs;
      return handoffs.length === 3 ? handoffs : undefined;
    });
    for (const handoff of listed) await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff.id}/claim`, {});
    expect(await (await fetch(`${t.url}/api/webchat/status`)).json()).toEqual({ open: true, backAt: null, typicalWaitMinutes: 1 });
  });

  it("are written once: flows and the knowledge base's answers read them as {{opening_hours}}, in the customer's language", async () => {
    const knowledge: KnowledgePort = {
      answer: async (question) => ({ question, results: [{ id: 'hours', title: 'Opening hours', score: 1, passage: 'x' }], confidence: 0.99, answer: 'You can reach us {{opening_hours}}.', sources: ['Opening hours'] }),
    };
    const t = (running = await startHandoffApp({
      OPENING_HOURS: JSON.stringify({ timeZone: 'Europe/Berlin', week: { mon: '09:00-18:00', tue: '09:00-18:00', wed: '09:00-18:00', thu: '09:00-18:00', fri: '09:00-18:00', sat: '10:00-17:00' } }),
    }, { knowledge }));
    expect((await say(t.url, 'hours-1', 'm1', { text: 'when are you open' })).replies.map((r) => r.text)).toEqual([
      'Our team is here Monday to Friday 09:00–18:00, Saturday 10:00–17:00; closed on Sunday and on holidays.',
    ]);
    const answered = (await say(t.url, 'hours-2', 'm1', { text: 'tell me something about your support' })).replies.map((r) => r.text).join(' ');
    expect(answered).toContain('You can reach us Monday to Friday 09:00–18:00, Saturday 10:00–17:00; closed on Sunday and on holidays.');
    // Never stored as the conversation's own variable.
    const conversation = await t.app.store.findConversation('web', 'hours-1');
    expect(conversation!.state.vars).not.toHaveProperty('opening_hours');
    await postJson(`${t.url}/api/webchat/messages`, { conversationId: 'hours-3', messageId: 'm1', text: 'when are you open', locale: 'de' });
    const german = await webTranscript(t.url, 'hours-3');
    expect(german.at(-1)!.text).toBe('Our team is here Montag bis Freitag 09:00–18:00 Uhr, Samstag 10:00–17:00 Uhr; geschlossen: Sonntag und Feiertage.');
  });

  it("are the demo's only copy: its contact flow and hours article read them, with the demo's week while OPENING_HOURS is unset", async () => {
    const demo = (running = await startHandoffApp({ FLOWS_DIR: path.join(repoRoot, 'flows') }));
    expect((await say(demo.url, 'demo-en', 'm1', { text: 'when are you open' })).replies[0]!.text)
      .toContain('• Store and phone hours: Monday to Friday 09:00–18:00, Saturday 10:00–17:00; closed on Sunday and on holidays\n');
    const german = await postJson(`${demo.url}/api/webchat/messages`, { conversationId: 'demo-de', messageId: 'm1', text: 'wann haben Sie geöffnet', locale: 'de' });
    expect(german.json.replies[0].text).toContain('• Laden und Telefon: Montag bis Freitag 09:00–18:00 Uhr, Samstag 10:00–17:00 Uhr; geschlossen: Sonntag und Feiertage\n');
    await demo.close();
    // Set, they follow the setting: the flow, and the knowledge base's article (asked here without the contact flow).
    const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((day) => [day, '08:00-20:00']));
    const t = (running = await startHandoffApp({ FLOWS_DIR: path.join(repoRoot, 'flows'), OPENING_HOURS: JSON.stringify({ timeZone: 'UTC', week }) }));
    expect((await say(t.url, 'set-en', 'm1', { text: 'when are you open' })).replies[0]!.text)
      .toContain('• Store and phone hours: Monday to Saturday 08:00–20:00; closed on Sunday and on holidays\n');
    await t.close();
    const kb = (running = await startHandoffApp({ OPENING_HOURS: JSON.stringify({ timeZone: 'UTC', week }) }));
    const answered = (await say(kb.url, 'kb-en', 'm1', { text: 'What are your opening hours?' })).replies.map((r) => r.text).join('\n');
    expect(answered).toContain('Our store, phone line and chat team are open Monday to Saturday 08:00–20:00; closed on Sunday and on holidays.');
    const antwort = await postJson(`${kb.url}/api/webchat/messages`, { conversationId: 'kb-de', messageId: 'm1', text: 'Wie sind Ihre Öffnungszeiten?', locale: 'de' });
    expect(antwort.json.replies.map((r: { text: string }) => r.text).join('\n'))
      .toContain('Unser Laden, unsere Telefon-Hotline und unser Chat-Team sind für Sie da: Montag bis Samstag 08:00–20:00 Uhr; geschlossen: Sonntag und Feiertage.');
    // The agents' suggestions show the article as the customer would get it, never the placeholder.
    const id = await handOver(kb, 'kb-agent');
    await say(kb.url, 'kb-agent', 'q1', { text: 'What are your opening hours?' });
    const suggested = await eventually(async () => {
      const found = await asAgent(kb.url, ANA.token, `/agent/api/handoffs/${id}/suggestions`);
      return found.json.question === 'What are your opening hours?' ? found.json.suggestions as Array<{ title: string; text: string }> : undefined;
    });
    expect(suggested.find((s) => s.title === 'Contact and opening hours')!.text)
      .toContain('Our store, phone line and chat team are open Monday to Saturday 08:00–20:00; closed on Sunday and on holidays.');
    expect(JSON.stringify(suggested)).not.toContain('{{');
  }, 60_000);

  it('are checked at start: a bad setting names what is wrong', () => {
    const base = { FLOWS_DIR: 'flows', REDIS_AUTOSTART: 'false' };
    expect(() => loadConfig({ ...base, OPENING_HOURS: '{"timeZone":"Mars/Olympus","week":{}}' }, repoRoot)).toThrow(/OPENING_HOURS: timeZone: an IANA time zone/);
    expect(() => loadConfig({ ...base, OPENING_HOURS: '{"timeZone":"UTC","week":{"mon":"18:00-09:00"}}' }, repoRoot)).toThrow(/OPENING_HOURS: "18:00-09:00" does not end after it starts/);
    expect(() => loadConfig({ ...base, OPENING_HOURS: '{"timeZone":"UTC","week":{"monday":"09:00-18:00"}}' }, repoRoot)).toThrow(/OPENING_HOURS: week/);
  });
});
