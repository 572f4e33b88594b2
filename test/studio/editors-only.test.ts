import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/handoff/agents.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { say, startTestApp, type TestApp } from '../support/app.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * AGENTS with editors only (Parley Studio's users, no queues), no Slack agent channel: nobody could take a handoff.
 * The demo's `human` flow tests `person_available` / `person_later` and says so once, with other ways to reach the
 * team, never promising a colleague; the customer stays with the bot, which answers the next message; nothing waits in
 * a queue nobody works. The editors still sign in to the studio.
 */
const EVE = { id: 'eve', token: 'eve-token-0123456789abcdef' };
let t: TestApp;
let prefix: string;

beforeAll(async () => {
  prefix = freshPrefix();
  t = await startTestApp({ AGENTS: JSON.stringify([{ id: EVE.id, name: 'Eve', editor: true, token: hashToken(EVE.token) }]), HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'warn' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await dropPrefix(prefix);
});

describe('editors only, nobody to hand over to', () => {
  it('a customer asking for a person hears that nobody can take it here, and the bot goes on answering; nothing is queued', { timeout: 60_000 }, async () => {
    const asked = await say(t.url, 'nobody-1', 'm1', { text: 'I want to talk to a person' });
    const texts = asked.replies.map((reply) => reply.text);
    expect(texts).toEqual([expect.stringMatching(/^I'm sorry, no one from our team can chat with you here\. You can call us on \+31 10 123 4567/)]);
    expect(texts.join('\n')).not.toMatch(/passing you|in the queue|right now, so I'll keep helping/);
    const next = await say(t.url, 'nobody-1', 'm2', { text: 'when are you open?' });
    expect(next.replies.map((reply) => reply.text).join('\n')).toContain('Monday to Friday');
    const open = await sqlOf(t.app.store).query<{ n: string }>('SELECT count(*) AS n FROM handoffs');
    expect(Number(open.rows[0]!.n)).toBe(0);
    const mode = await sqlOf(t.app.store).query<{ mode: string }>('SELECT mode FROM conversations');
    expect(mode.rows.map((row) => row.mode)).toEqual(['bot']);

    const german = await say(t.url, 'nobody-2', 'm1', { text: 'Ich möchte mit einem Mitarbeiter sprechen' });
    expect(german.replies.map((reply) => reply.text)).toEqual([expect.stringMatching(/^Leider kann hier niemand aus unserem Team mit Ihnen chatten/)]);

    // The returns flow after two wrong answers goes to the human flow: the same one message.
    await say(t.url, 'nobody-3', 'm1', { text: 'I want to return my headphones' });
    await say(t.url, 'nobody-3', 'm2', { text: 'banana' });
    const failed = await say(t.url, 'nobody-3', 'm3', { text: 'banana' });
    expect(failed.replies.map((reply) => reply.text).join('\n')).toMatch(/^I'm sorry, no one from our team can chat with you here\./m);
    expect(failed.replies.map((reply) => reply.text).join('\n')).not.toMatch(/passing you|right now, so I'll keep helping/);
  });

  it('the editors still sign in to the studio', async () => {
    const files = await fetch(`${t.url}/studio/api/files`, { headers: { authorization: `Bearer ${EVE.token}` } });
    expect(files.status).toBe(200);
  });
});
