import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { ANA, asAgent, eventually, startHandoffApp, webTranscript, type HandoffApp } from './support.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * The notices a customer waiting for a person gets inside opening hours (the monitor, over the real web chat, PGlite,
 * Redis): something new each time, less and less often, never the same text twice.
 */
let running: HandoffApp | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outgoing = async (t: HandoffApp, conversationId: string) =>
  (await webTranscript(t.url, conversationId)).filter((m) => m.direction === 'out').map((m) => m.text);

async function claim(t: HandoffApp, conversationId: string): Promise<void> {
  const conversation = await t.app.store.findConversation('web', conversationId);
  const handoff = await t.handoffs.openFor(conversation!.id);
  expect((await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff!.id}/claim`, {})).status).toBe(200);
}

describe('queue notices while a person is awaited', () => {
  it('say only what changed: a customer whose place stays the same hears nothing more; one who moves up hears it once', async () => {
    const t = (running = await startHandoffApp({ HANDOFF_NOTICE_EVERY_MS: '1000', HANDOFF_OFFER_MESSAGE_AFTER_MS: '600000' }));
    expect((await say(t.url, 'q1', 'm1', { text: 'agent please' })).replies.at(-1)!.text).toBe('A person from our team will be with you shortly. You are number 1 in the queue.');
    expect((await say(t.url, 'q2', 'm1', { text: 'agent please' })).replies.at(-1)!.text).toBe('A person from our team will be with you shortly. You are number 2 in the queue.');
    const first = await outgoing(t, 'q1');
    // The monitor looks every two seconds and the first repeat is due after one: the place is unchanged, so silence.
    await sleep(5_000);
    expect(await outgoing(t, 'q1')).toEqual(first);
    await claim(t, 'q1');
    const moved = 'Thanks for your patience: a person will be with you as soon as possible. You are now number 1 in the queue.';
    await eventually(async () => ((await outgoing(t, 'q2')).includes(moved) ? true : undefined));
    await sleep(5_000);
    const told = await outgoing(t, 'q2');
    expect(told.filter((text) => text === moved)).toHaveLength(1);
    expect(new Set(told).size).toBe(told.length);
  });

  it('start over after a transfer: told once of the colleague, then the new place soon, as at the start of a wait', async () => {
    const t = (running = await startHandoffApp({ HANDOFF_NOTICE_EVERY_MS: '2000', HANDOFF_OFFER_MESSAGE_AFTER_MS: '600000' }));
    await say(t.url, 'tr1', 'm1', { text: 'agent please' });
    await claim(t, 'tr1');
    const conversation = await t.app.store.findConversation('web', 'tr1');
    const handoff = (await t.handoffs.openFor(conversation!.id))!;
    // The customer has waited an hour, and the last look was just now: without a new start, the next notice would be
    // 16 s away (8 × 2 s) and the offer to leave a message (after 10 min) long due.
    await sqlOf(t.app.store).query(`UPDATE handoffs SET created_at = created_at - interval '1 hour', last_notice_at = now() WHERE id = $1`, [handoff.id]);
    const before = (await outgoing(t, 'tr1')).length;
    const moved = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff.id}/transfer`, { queue: 'billing' });
    expect(moved.status).toBe(200);
    const passed = "I'm passing you to a colleague who can help with this. They can read our conversation so far, so you won't need to repeat anything.";
    const place = 'Thanks for your patience: a person will be with you as soon as possible. You are now number 1 in the queue.';
    // Due 2 s after the transfer (the monitor looks every 2 s), where without a new start it would be 16 s away: the
    // wait for it gives up well before that.
    await eventually(async () => ((await outgoing(t, 'tr1')).includes(place) ? true : undefined), 10_000);
    await sleep(5_000);
    expect((await outgoing(t, 'tr1')).slice(before)).toEqual([passed, place]);
  }, 30_000);

  it('tell the typical wait of recent handoffs once, when the place has not changed', async () => {
    const t = (running = await startHandoffApp({ HANDOFF_NOTICE_EVERY_MS: '3000', HANDOFF_OFFER_MESSAGE_AFTER_MS: '600000' }));
    for (const conversation of ['done-1', 'done-2', 'done-3']) {
      await say(t.url, conversation, 'm1', { text: 'agent please' });
      await claim(t, conversation);
    }
    await say(t.url, 'w1', 'm1', { text: 'agent please' });
    const wait = 'Thanks for waiting: a person usually answers here within about 1 min. You are still number 1 in the queue.';
    await eventually(async () => ((await outgoing(t, 'w1')).includes(wait) ? true : undefined), 8_000);
    // The next look is due 6 s after it (the waits double): nothing new by then, so nothing is said.
    await sleep(8_000);
    expect((await outgoing(t, 'w1')).filter((text) => text.startsWith('Thanks'))).toEqual([wait]);
  }, 30_000);
});
