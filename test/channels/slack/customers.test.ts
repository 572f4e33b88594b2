import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dropPrefix, freshPrefix } from '../../handoff/support.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { signed, SlackApi, waitFor } from './slack-api.ts';
import { sqlOf } from '../../support/sql.ts';

/**
 * Slack as a customer channel: signed requests to the real endpoint of a running app (the Bolt receiver shared with
 * the agent desk), the demo flows, and the Slack Web API as a local server (SLACK_API_URL) that records every call.
 */
const SECRET = 'slack-signing-secret-for-tests';
const TOKEN = 'xoxb-test-token';
const BOT = 'UPARLEYBOT';
const TEAM = 'T0CUSTOMER';
const AGENTS = 'CAGENTS42';

let seq = 0;
const next = () => String(++seq).padStart(6, '0');
const ts = () => `${1_700_000_000 + ++seq}.000100`;
const dmChannel = () => `D${process.pid}X${next()}`;
const publicChannel = () => `C${process.pid}X${next()}`;

function envelope(event: Record<string, unknown>, eventId = `Ev${next()}`): string {
  return JSON.stringify({
    token: 'legacy', team_id: TEAM, api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: 1_700_000_000,
    authorizations: [{ enterprise_id: null, team_id: TEAM, user_id: BOT, is_bot: true, is_enterprise_install: false }],
    event,
  });
}
const dm = (channel: string, text: string, extra: Record<string, unknown> = {}) =>
  ({ type: 'message', channel, channel_type: 'im', user: 'U1', team: TEAM, text, ts: ts(), ...extra });
const mention = (channel: string, text: string, extra: Record<string, unknown> = {}) =>
  ({ type: 'app_mention', channel, user: 'U2', team: TEAM, text: `<@${BOT}> ${text}`, ts: ts(), ...extra });

describe('Slack customer channel', () => {
  const slack = new SlackApi();
  let t: TestApp;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const prefix = freshPrefix();

  beforeAll(async () => {
    await slack.start();
    database = await createTestDatabase();
    t = await startTestApp({
      SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: TOKEN, SLACK_AGENT_CHANNEL: AGENTS, SLACK_API_URL: slack.url,
      DATABASE_URL: database.url, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', CHANNEL_SEND_TIMEOUT_MS: '1000',
    });
  });
  afterAll(async () => {
    await t?.close();
    await dropPrefix(prefix);
    await database?.drop();
    await slack.close();
  });
  beforeEach(() => {
    slack.respond = () => undefined;
  });

  const post = (path: string, body: string, headers: Record<string, string>, type = 'application/json') =>
    fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body });
  const postEvent = (body: string, headers: Record<string, string> = signed(body, SECRET)) => post('/slack/events', body, headers);
  const press = (channel: string, message: { ts: string; text?: string; blocks: any[]; thread_ts?: string }, title: string, user = 'U1') => {
    const actions = message.blocks.find((b) => b.type === 'actions');
    const button = actions.elements.find((e: any) => e.text.text === title);
    const payload = JSON.stringify({
      type: 'block_actions', team: { id: TEAM, domain: 'acme' }, api_app_id: 'A1', token: 'legacy', trigger_id: '1.2.3', response_url: 'http://127.0.0.1:9/none',
      user: { id: user, team_id: TEAM, name: user.toLowerCase(), username: user.toLowerCase() }, channel: { id: channel, name: 'directmessage' },
      container: { type: 'message', message_ts: message.ts, channel_id: channel, is_ephemeral: false },
      message: { type: 'message', user: BOT, bot_id: 'BPARLEY', ...message },
      actions: [{ type: 'button', action_id: button.action_id, block_id: actions.block_id, text: button.text, value: button.value, action_ts: '1700000000.1' }],
    });
    const body = new URLSearchParams({ payload }).toString();
    return post('/slack/interactivity', body, signed(body, SECRET), 'application/x-www-form-urlencoded');
  };

  async function messagesOf(conversationId: string) {
    const result = await sqlOf(t.app.store).query<{ id: string; direction: string; status: string; text: string | null; payload: string | null; attempts: number; last_error: string | null; external_id: string | null }>(
      `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'slack' AND c.external_id = $1 ORDER BY m.id`,
      [conversationId],
    );
    return result.rows;
  }
  // Messages of the conversations in one Slack channel (a DM, or a channel's threads): earlier tests' turns may still be
  // finishing in their own channels (an order lookup answers seconds later), which is not what a test here looks at.
  const countMessages = async (channel: string) => Number((await sqlOf(t.app.store).query<{ n: string }>(
    `SELECT count(*)::text AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'slack' AND (c.external_id = $1 OR c.external_id LIKE $1 || ':%')`, [channel])).rows[0]?.n);
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 400));

  it('is listed in /healthz', async () => {
    const health = (await (await fetch(`${t.url}/healthz`)).json()) as { channels: string[] };
    expect(health.channels).toContain('slack');
  });

  it('answers a DM in the DM, the menu as Block Kit buttons; a press continues the flow and shows the choice', async () => {
    const channel = dmChannel();
    expect((await postEvent(envelope(dm(channel, 'hi')))).status).toBe(200);
    const [welcome, menu] = await waitFor(() => (slack.posts(channel).length >= 2 ? slack.posts(channel) : undefined));
    expect(welcome!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(welcome!.args.text).toMatch(/welcome to Brightwave/);
    expect(welcome!.args.thread_ts).toBeUndefined();
    const actions = menu!.args.blocks.find((b: any) => b.type === 'actions');
    expect(actions.block_id).toBe(`parley:${channel}`);
    expect(actions.elements.map((e: any) => e.text.text)).toEqual(['Order status', 'Returns', 'Hours & contact', 'Talk to a person', 'Deutsch']);
    expect(actions.elements.map((e: any) => e.action_id)).toEqual(['parley_reply_0', 'parley_reply_1', 'parley_reply_2', 'parley_reply_3', 'parley_reply_4']);

    const outs = await waitFor(async () => {
      const rows = (await messagesOf(channel)).filter((m) => m.direction === 'out' && m.status === 'sent');
      return rows.length >= 2 ? rows : undefined;
    });
    // Replies keep Slack's id of the posted message: channel and ts.
    expect(outs[1]!.external_id).toMatch(new RegExp(`^${channel}:\\d+\\.000200$`));
    const menuTs = outs[1]!.external_id!.split(':')[1]!;
    expect((await press(channel, { ts: menuTs, text: menu!.args.text, blocks: menu!.args.blocks }, 'Order status')).status).toBe(200);
    const ask = await waitFor(() => slack.posts(channel)[2]);
    expect(ask.args.text).toMatch(/What's your order number\?/);
    const update = await waitFor(() => slack.accepted.find((c) => c.method === 'chat.update' && c.args.channel === channel));
    expect(update.args.ts).toBe(menuTs);
    expect(update.args.blocks.some((b: any) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(update.args.blocks)).toContain(':white_check_mark: Order status');

    const inbound = (await messagesOf(channel)).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => [m.text, m.payload])).toEqual([['hi', null], ['Order status', 'order_status']]);
    const customer = await sqlOf(t.app.store).query<{ user_id: string }>(`SELECT address->>'userId' AS user_id FROM conversations WHERE channel = 'slack' AND external_id = $1`, [channel]);
    expect(customer.rows[0]?.user_id).toBe(`${TEAM}:U1`);
  });

  it('answers an @mention in its thread without the mention; the thread goes on without mentions; other threads are not the bot\'s', async () => {
    const channel = publicChannel();
    const asked = mention(channel, 'where is my order');
    expect((await postEvent(envelope(asked))).status).toBe(200);
    // The same message also arrives as a message.channels event: one turn.
    expect((await postEvent(envelope({ ...asked, type: 'message', channel_type: 'channel' }))).status).toBe(200);
    const reply = await waitFor(() => slack.posts(channel)[0]);
    expect(reply).toMatchObject({ args: { thread_ts: asked.ts } });
    expect(reply.args.text).toMatch(/What's your order number\?/);

    const answer = { type: 'message', channel, channel_type: 'channel', user: 'U2', team: TEAM, text: 'BW-12345', ts: ts(), thread_ts: asked.ts };
    expect((await postEvent(envelope(answer))).status).toBe(200);
    const found = await waitFor(() => slack.posts(channel).find((c) => /BW-12345/.test(c.args.text)));
    expect(found.args.thread_ts).toBe(asked.ts);

    const stranger = publicChannel();
    await postEvent(envelope({ type: 'message', channel: stranger, channel_type: 'channel', user: 'U3', team: TEAM, text: 'in another thread', ts: ts(), thread_ts: ts() }));
    await postEvent(envelope({ type: 'message', channel: stranger, channel_type: 'channel', user: 'U3', team: TEAM, text: 'top level chatter', ts: ts() }));
    await quiet();
    expect(slack.posts(stranger)).toHaveLength(0);
    expect((await sqlOf(t.app.store).query(`SELECT 1 FROM conversations WHERE channel = 'slack' AND external_id LIKE $1`, [`${stranger}%`])).rowCount).toBe(0);

    const inbound = (await messagesOf(`${channel}:${asked.ts}`)).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.text)).toEqual(['where is my order', 'BW-12345']);
    // Neither the customer's text nor the bot's replies reach the logs (the Web API client logs bodies at debug).
    const logs = t.logs.join('\n');
    for (const text of ['where is my order', 'BW-12345', "What's your order number"]) expect(logs).not.toContain(text);
  });

  it('replies in the DM thread the customer wrote in', async () => {
    const channel = dmChannel();
    const root = ts();
    await postEvent(envelope(dm(channel, 'hi', { thread_ts: root })));
    const posts = await waitFor(() => (slack.posts(channel).length >= 2 ? slack.posts(channel) : undefined));
    expect(posts.map((p) => p.args.thread_ts)).toEqual([root, root]);
    // The customer's message and the two replies are the DM's (what the refusals below count, and find none of).
    expect(await countMessages(channel)).toBe(3);
  });

  it.each([
    ['a forged signature', (body: string) => signed(body, 'not-the-secret')],
    ['no signature', () => ({})],
    ['a signature of another body', () => signed('{}', SECRET)],
    ['a stale timestamp', (body: string) => signed(body, SECRET, Math.floor(Date.now() / 1000) - 600)],
  ])('refuses %s with 401 and stores nothing', async (_name, sign) => {
    const channel = dmChannel();
    const body = envelope(dm(channel, 'hi'));
    expect((await postEvent(body, sign(body) as Record<string, string>)).status).toBe(401);
    const payload = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', actions: [] }) }).toString();
    expect((await post('/slack/interactivity', payload, sign(payload) as Record<string, string>, 'application/x-www-form-urlencoded')).status).toBe(401);
    await quiet();
    expect(await countMessages(channel)).toBe(0);
    expect(slack.posts(channel)).toHaveLength(0);
  });

  it('answers a delivery Slack repeats (X-Slack-Retry-Num) once', async () => {
    const channel = dmChannel();
    const body = envelope(dm(channel, 'hi'));
    expect((await postEvent(body)).status).toBe(200);
    expect((await postEvent(body, { ...signed(body, SECRET), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await waitFor(() => slack.posts(channel).length >= 2);
    await quiet();
    expect(slack.posts(channel)).toHaveLength(2);
    expect((await messagesOf(channel)).filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('answers 500 when the message cannot be stored, so Slack delivers it again; the redelivery is answered', async () => {
    const channel = dmChannel();
    const body = envelope(dm(channel, 'hi'));
    await sqlOf(t.app.store).query('ALTER TABLE messages RENAME TO messages_away');
    let refused: number;
    try {
      refused = (await postEvent(body)).status;
    } finally {
      await sqlOf(t.app.store).query('ALTER TABLE messages_away RENAME TO messages');
    }
    expect(refused).toBe(500);
    expect((await postEvent(body, { ...signed(body, SECRET), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' })).status).toBe(200);
    await waitFor(() => slack.posts(channel).length >= 2);
    expect((await messagesOf(channel)).filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('ignores bots, its own messages, edits and deletions', async () => {
    const channel = dmChannel();
    const events = [
      dm(channel, 'from another bot', { bot_id: 'BOTHER' }),
      dm(channel, 'a bot message', { subtype: 'bot_message', bot_id: 'BOTHER', user: undefined }),
      dm(channel, 'Hi, and welcome', { user: BOT, bot_id: 'BPARLEY' }),
      dm(channel, 'mine, without bot_id', { user: BOT }),
      { type: 'message', subtype: 'message_changed', channel, channel_type: 'im', ts: ts(), message: { user: 'U1', text: 'edited' } },
      { type: 'message', subtype: 'message_deleted', channel, channel_type: 'im', ts: ts(), deleted_ts: '1.2' },
    ];
    for (const event of events) expect((await postEvent(envelope(event))).status).toBe(200);
    await quiet();
    expect(slack.posts(channel)).toHaveLength(0);
    expect(await messagesOf(channel)).toHaveLength(0);
  });

  /** The welcome, then the menu with its buttons, each posted once and marked sent; returns the stored replies. */
  async function greetedOnceInOrder(channel: string) {
    const sent = await waitFor(() => (slack.posts(channel).length >= 2 ? slack.posts(channel) : undefined), 15_000);
    expect(sent[0]!.args.text).toMatch(/welcome to Brightwave/);
    expect(sent[1]!.args.blocks.some((b: any) => b.type === 'actions')).toBe(true);
    await quiet();
    expect(slack.posts(channel)).toHaveLength(2);
    const out = (await messagesOf(channel)).filter((m) => m.direction === 'out');
    expect(out.map((m) => m.status)).toEqual(['sent', 'sent']);
    return out;
  }

  it('retries while the Web API answers 500 or rate-limits, then delivers each reply once, in order', async () => {
    const channel = dmChannel();
    let failures = 0;
    slack.respond = (call) => {
      if (call.method !== 'chat.postMessage' || call.args.channel !== channel || failures >= 2) return undefined;
      failures++;
      return failures === 1 ? { status: 500, body: { ok: false } } : { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } };
    };
    await postEvent(envelope(dm(channel, 'hi')));
    const out = await greetedOnceInOrder(channel);
    expect(failures).toBe(2);
    // Two failed attempts recorded on the first reply; the second went out at its first try.
    expect(out.map((m) => m.attempts)).toEqual([2, 0]);
  });

  it('cuts off a reply the Web API takes and never answers after CHANNEL_SEND_TIMEOUT_MS, and sends it again, in order', async () => {
    const channel = dmChannel();
    let hung = 0;
    slack.respond = (call) => (call.method === 'chat.postMessage' && call.args.channel === channel && hung++ === 0 ? 'hang' : undefined);
    const abandonedBefore = slack.abandoned;
    await postEvent(envelope(dm(channel, 'hi')));
    await greetedOnceInOrder(channel);
    expect(slack.abandoned).toBe(abandonedBefore + 1);
  });

  it('fails a reply at once, visibly, when Slack refuses it for good (channel_not_found)', async () => {
    const channel = dmChannel();
    slack.respond = (call) => (call.args.channel === channel ? { status: 200, body: { ok: false, error: 'channel_not_found' } } : undefined);
    await postEvent(envelope(dm(channel, 'hi')));
    const out = await waitFor(async () => {
      const rows = (await messagesOf(channel)).filter((m) => m.direction === 'out');
      return rows.length === 2 && rows.every((m) => m.status === 'failed') ? rows : undefined;
    });
    expect(out.map((m) => m.attempts)).toEqual([1, 1]);
    expect(out[0]!.last_error).toBe('Slack refused the message: channel_not_found');
    expect(slack.calls.filter((c) => c.args.channel === channel)).toHaveLength(2);
  });

  it('hands a Slack customer to the agent desk on the same endpoint; the agent\'s thread reply reaches the customer in the DM', async () => {
    const channel = dmChannel();
    await postEvent(envelope(dm(channel, 'I want to talk to a person')));
    const announced = await waitFor(() => slack.posts(AGENTS).find((c) => !c.args.thread_ts && /on slack needs a person/.test(c.args.text)));
    const handoffTs = await waitFor(async () => {
      const row = await sqlOf(t.app.store).query<{ ref: string }>(
        `SELECT h.desk_refs->>'slack' AS ref FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE c.external_id = $1 AND h.desk_refs ? 'slack'`, [channel],
      );
      return row.rows[0]?.ref.split(':')[1];
    });
    expect(announced.args.blocks.some((b: any) => b.type === 'actions')).toBe(true);

    const reply = { type: 'message', channel: AGENTS, channel_type: 'channel', user: 'UAGENT', team: TEAM, text: 'Hi, Ana here. Returns &amp; refunds: <https://shop.example/returns|our policy>', ts: ts(), thread_ts: handoffTs };
    const body = envelope(reply);
    expect((await postEvent(body)).status).toBe(200);
    expect((await postEvent(body, { ...signed(body, SECRET), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await waitFor(() => slack.posts(channel).find((c) => c.args.text === 'Hi, Ana here. Returns &amp; refunds: our policy (https://shop.example/returns)'));
    await quiet();
    expect(slack.posts(channel).filter((c) => c.args.text === 'Hi, Ana here. Returns &amp; refunds: our policy (https://shop.example/returns)')).toHaveLength(1);
    // The agent's reply in the desk's thread is not a customer message.
    expect((await sqlOf(t.app.store).query(`SELECT 1 FROM conversations WHERE channel = 'slack' AND external_id LIKE $1`, [`${AGENTS}%`])).rowCount).toBe(0);

    // The customer's next message goes to the agents' thread, not to the bot.
    const before = slack.posts(channel).length;
    await postEvent(envelope(dm(channel, 'My order BW-12345 never came')));
    const forwarded = await waitFor(() => slack.posts(AGENTS).find((c) => c.args.thread_ts === handoffTs && /BW-12345/.test(c.args.text)));
    expect(forwarded.args.text).toBe('*Customer:* My order BW-12345 never came');
    await quiet();
    expect(slack.posts(channel)).toHaveLength(before);
  });
});
