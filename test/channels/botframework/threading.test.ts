import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../../src/handoff/agents.ts';
import { asAgent, dropPrefix, eventually, freshPrefix } from '../../handoff/support.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { activity, FakeConnector, postActivity, type CaughtActivity } from './support.ts';
import { sqlOf } from '../../support/sql.ts';

const AGENT = { id: 'ana', name: 'Ana', token: 'ana-token-threading-0123456789' };
const HOURS = 'what are your opening hours';
const AGENT_REPLY = 'Hi, Ana here. I can help with that.';

/**
 * Issue 14, item 17: every reply went out as a reply to the continuation event's random id, which no activity has,
 * so the Emulator and Teams could not place it. Now a reply to the customer's message carries that message's
 * activity id (POST …/activities/{id}, replyToId); what Parley starts itself (the greeting, the handoff event, an
 * agent's reply later) goes into the conversation as a new message (POST …/activities, no replyToId).
 */
describe('Bot Framework replies thread under the message they answer (an Emulator-shaped exchange)', () => {
  let t: TestApp;
  let connector: FakeConnector;
  const prefix = freshPrefix();

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    t = await startTestApp({
      FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'warn', HANDOFF_QUEUE_PREFIX: prefix, BOTFRAMEWORK_EMULATOR: 'true',
      AGENTS: JSON.stringify([{ id: AGENT.id, name: AGENT.name, queues: ['support'], token: hashToken(AGENT.token) }]),
    });
  });
  afterAll(async () => {
    await t?.close();
    await connector?.close();
    await dropPrefix(prefix);
  });

  const sentTo = (conversationId: string) => `/v3/conversations/${encodeURIComponent(conversationId)}/activities`;

  it('replies carry the activity id of the message they answer; greetings, the handoff event and an agent reply do not', async () => {
    const conversationId = `${randomUUID()}|livechat`;
    const ids = { conversationId, serviceUrl: connector.url };
    const caught = () => connector.activities.filter((a) => a.conversationId === conversationId);
    const since = (n: number) => caught().slice(n);
    const expectNewMessages = (list: CaughtActivity[]) => {
      for (const a of list) {
        expect(a.path).toBe(sentTo(conversationId));
        expect(a.body.replyToId).toBeUndefined();
      }
    };
    const expectRepliesTo = (list: CaughtActivity[], activityId: string) => {
      for (const a of list) {
        expect(a.path).toBe(`${sentTo(conversationId)}/${encodeURIComponent(activityId)}`);
        expect(a.body.replyToId).toBe(activityId);
      }
    };

    // The Emulator opens the conversation: the greeting answers no message.
    expect((await postActivity(t.url, activity('conversation-update', ids))).status).toBe(200);
    await connector.waitFor(() => caught().length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const greeting = caught();
    expect(greeting.length).toBe(2);
    expectNewMessages(greeting);

    // A question: every part of the answer is a reply to it.
    const question = randomUUID();
    expect((await postActivity(t.url, activity('message', { ...ids, id: question, text: HOURS }))).status).toBe(200);
    await connector.waitFor(() => since(greeting.length).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = since(greeting.length);
    expectRepliesTo(answers, question);

    // "Talk to a person": the bot's answer is a reply to the button press; the handoff.initiate event is not a reply.
    const press = randomUUID();
    expect((await postActivity(t.url, activity('postback', { ...ids, id: press, value: 'human' }))).status).toBe(200);
    const initiate = await connector.waitFor(() => caught().find((a) => a.body.type === 'event'), 15_000);
    expectNewMessages([initiate]);
    const handoffId = initiate.body.value.handoffId as string;

    // The agent answers later: a message Parley starts, not a reply to the customer's last activity.
    expect((await asAgent(t.url, AGENT.token, `/agent/api/handoffs/${handoffId}/claim`, {})).status).toBe(200);
    expect((await asAgent(t.url, AGENT.token, `/agent/api/handoffs/${handoffId}/replies`, { messageId: 'a1', text: AGENT_REPLY })).status).toBe(200);
    const fromAgent = await eventually(async () => caught().find((a) => a.body.text === AGENT_REPLY));
    expectNewMessages([fromAgent]);
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Each message the channel got, beside the row it was sent from: the row names the inbound message it answers
    // (in the channel's terms), and the channel got exactly that as replyToId; rows that answer nothing went as new.
    const rows = await sqlOf(t.app.store).query<{ text: string; reply_to_external_id: string | null }>(
      `SELECT m.text, m.reply_to_external_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.external_id = $1 AND m.direction = 'out' AND m.status = 'sent' ORDER BY m.id`, [conversationId]);
    const unused = [...rows.rows];
    const answered = new Map<string, number>();
    for (const sent of caught().filter((a) => a.body.type === 'message')) {
      const row = unused.splice(unused.findIndex((r) => r.text === sent.body.text), 1)[0]!;
      expect(row.text).toBe(sent.body.text);
      if (row.reply_to_external_id === null) expectNewMessages([sent]);
      else {
        const activityId = row.reply_to_external_id.slice(conversationId.length + 1);
        expectRepliesTo([sent], activityId);
        answered.set(activityId, (answered.get(activityId) ?? 0) + 1);
      }
    }
    expect(unused).toEqual([]);
    expect(answered.get(question)).toBeGreaterThanOrEqual(answers.length);
    expect(answered.get(press)).toBeGreaterThan(0);
    expect([...answered.keys()].sort()).toEqual([question, press].sort());
  }, 60_000);
});
