import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { ChannelHistory, SlackApi } from '../channels/slack/slack-api.ts';
import { eventually, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * An erase reaches the Slack agent desk's copies of the customer's handoffs: the Web API at a local stand-in that
 * keeps the agent channel's messages, so what is deleted and what is left can be read back.
 */
const CHANNEL = 'CAGENTS9';
const ADMIN_TOKEN = 'slack-copies-admin-token-0123456789';
const PERSON_TS = '1900000000.000900';

describe('erasing a customer with handoffs on the Slack desk', () => {
  let t: HandoffApp;
  const slack = new SlackApi();
  const history = new ChannelHistory(CHANNEL);
  const channelMessages = history.messages;

  beforeAll(async () => {
    slack.respond = history.respond;
    await slack.start();
    t = await startHandoffApp({ SLACK_SIGNING_SECRET: 'slack-signing-secret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_AGENT_CHANNEL: CHANNEL, SLACK_API_URL: slack.url, ADMIN_TOKEN });
  });
  afterAll(async () => {
    await t?.close();
    await slack.close();
  });

  it("deletes the handoff's message and every line Parley posted in its thread; a person's own reply is left and reported with its place", async () => {
    await say(t.url, 'erase-me', 'm1', { text: 'warranty claim' });
    await say(t.url, 'erase-me', 'm2', { text: 'soundbar' });
    const parent = await eventually(async () => history.firstPost());
    // The desk threads the customer's later lines once it has stored where the handoff's message is.
    await eventually(async () => (await t.handoffs.findByDeskRef('slack', `${CHANNEL}:${parent.ts}`)) ?? undefined);
    await say(t.url, 'erase-me', 'm3', { text: 'My order number is BW-55555' });
    await eventually(async () => [...channelMessages.values()].find((m) => m.thread_ts === parent.ts && m.text.includes('BW-55555')));
    // An agent answered in the thread from their own Slack account.
    history.personReply(parent.ts, PERSON_TS, 'Looking into BW-55555 now');
    const unrelated = { ts: '1700000000.000001', bot: true, text: 'another handoff' };
    channelMessages.set(unrelated.ts, unrelated);

    const customer = await sqlOf(t.app.store).query<{ customer_id: string }>(`SELECT customer_id FROM conversations WHERE channel = 'web' AND external_id = 'erase-me'`);
    const response = await fetch(`${t.url}/admin/customers/${customer.rows[0]!.customer_id}/erase`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status).toBe(200);
    const result = await response.json();
    const botLines = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL).length;
    expect(result.copies).toEqual({ slack: { deleted: botLines, left: [`${CHANNEL}:${PERSON_TS}`] } });
    // What is left in the agent channel: the person's reply, and nothing else of this customer.
    expect([...channelMessages.values()].map((m) => m.text).sort()).toEqual(['Looking into BW-55555 now', 'another handoff']);
    const deletes = slack.calls.filter((c) => c.method === 'chat.delete').map((c) => c.args.ts);
    expect(deletes.at(-1)).toBe(parent.ts);
    const audit = await sqlOf(t.app.store).query<{ counts: Record<string, number> }>('SELECT counts FROM erasure_audit WHERE id = $1', [result.auditId]);
    expect(audit.rows[0]!.counts).toMatchObject({ slack_messages_deleted: botLines, slack_messages_left: 1 });
  });
});
