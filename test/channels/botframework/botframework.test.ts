import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { dropPrefix, freshPrefix } from '../../handoff/support.ts';
import { activity, FakeConnector, postActivity } from './support.ts';
import { sqlOf } from '../../support/sql.ts';

const MENU = 'What can I help you with? Tap a button or just tell me what you need.';

async function count(t: TestApp, sql: string, params: unknown[] = []): Promise<number> {
  const result = await sqlOf(t.app.store).query<{ n: string }>(sql, params);
  return Number(result.rows[0]?.n);
}

describe('Bot Framework channel (Emulator, no app id)', () => {
  let t: TestApp;
  let connector: FakeConnector;
  const prefix = freshPrefix();
  const fresh = () => ({ conversationId: `${randomUUID()}|livechat`, serviceUrl: connector.url });

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    t = await startTestApp({ FLOWS_WATCH: 'false', KB_WATCH: 'false', HANDOFF_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn', CHANNEL_SEND_TIMEOUT_MS: '1000', BOTFRAMEWORK_EMULATOR: 'true' });
  });
  afterAll(async () => {
    await t?.close();
    await connector?.close();
    await dropPrefix(prefix);
  });

  it('is listed by /healthz', async () => {
    const health = await (await fetch(`${t.url}/healthz`)).json();
    expect(health.channels).toContain('botframework');
  });

  it('greets the customer once when they join, even when conversationUpdate arrives twice, with the menu as suggested actions', async () => {
    const ids = fresh();
    const update = activity('conversation-update', ids);
    expect((await postActivity(t.url, update)).status).toBe(200);
    expect((await postActivity(t.url, update)).status).toBe(200);
    expect((await postActivity(t.url, { ...update, id: randomUUID() })).status).toBe(200);
    const messages = await connector.waitFor(() => connector.messages(ids.conversationId).length >= 2 && connector.messages(ids.conversationId));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connector.texts(ids.conversationId)).toEqual(["Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.", MENU]);
    const menu = messages[1];
    expect(menu.suggestedActions.actions).toEqual([
      { type: 'postBack', title: 'Order status', value: 'order_status' },
      { type: 'postBack', title: 'Returns', value: 'returns' },
      { type: 'postBack', title: 'Hours & contact', value: 'contact' },
      { type: 'postBack', title: 'Talk to a person', value: 'human' },
      { type: 'postBack', title: 'Deutsch', value: 'switch_language' },
    ]);
    expect(menu.suggestedActions.to).toEqual([update.from.id]);
    // Sent into the conversation, from the bot, to the user, as the reference says.
    expect(menu.conversation.id).toBe(ids.conversationId);
    expect(menu.from.id).toBe(update.recipient.id);
    expect(menu.recipient.id).toBe(update.from.id);
  });

  it('does not greet when only the bot joined', async () => {
    const ids = fresh();
    const update = activity('conversation-update', ids);
    const botOnly = { ...update, membersAdded: [update.membersAdded[0]] };
    expect((await postActivity(t.url, botOnly)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(connector.messages(ids.conversationId)).toEqual([]);
  });

  it('answers a typed message, and a button press (postBack value) drives the demo flows', async () => {
    const ids = fresh();
    expect((await postActivity(t.url, activity('message', { ...ids, id: randomUUID() }))).status).toBe(200);
    await connector.waitFor(() => connector.texts(ids.conversationId).includes(MENU));
    expect(connector.texts(ids.conversationId)[0]).toContain('welcome to Brightwave');

    expect((await postActivity(t.url, activity('postback', { ...ids, id: randomUUID() }))).status).toBe(200);
    const ask = "Happy to help! What's your order number? You'll find it in your order confirmation email. It looks like BW-12345.";
    await connector.waitFor(() => connector.texts(ids.conversationId).includes(ask));

    await postActivity(t.url, activity('message', { ...ids, id: randomUUID(), text: 'BW-12345' }));
    const answer = await connector.waitFor(() => connector.messages(ids.conversationId).find((m) => m.text?.startsWith('Good news: order BW-12345')));
    expect(answer.suggestedActions.actions.map((a: any) => a.title)).toEqual(['Main menu', 'Talk to a person']);
  });

  it('answers an activity delivered twice once', async () => {
    const ids = fresh();
    const hello = activity('message', { ...ids, id: randomUUID() });
    await postActivity(t.url, hello);
    await connector.waitFor(() => connector.texts(ids.conversationId).includes(MENU));
    const question = activity('message', { ...ids, id: randomUUID(), text: 'what are your opening hours' });
    const [a, b] = await Promise.all([postActivity(t.url, question), postActivity(t.url, question)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await postActivity(t.url, question);
    await new Promise((resolve) => setTimeout(resolve, 800));
    const inbound = await count(t, `SELECT count(*)::text AS n FROM messages WHERE direction = 'in' AND external_id = $1`, [`${ids.conversationId}:${question.id}`]);
    expect(inbound).toBe(1);
    const replies = await count(t, `SELECT count(*)::text AS n FROM messages m JOIN messages i ON m.in_reply_to = i.id WHERE i.external_id = $1`, [`${ids.conversationId}:${question.id}`]);
    expect(replies).toBeGreaterThan(0);
    // Everything the channel got: the greeting and menu, then the one answer to the question.
    expect(connector.messages(ids.conversationId)).toHaveLength(2 + replies);
  });

  it('ignores other activity types with 200 and stores nothing', async () => {
    const ids = fresh();
    const before = await count(t, 'SELECT count(*)::text AS n FROM messages');
    const response = await postActivity(t.url, activity('typing', ids));
    expect(response.status).toBe(200);
    expect(await count(t, 'SELECT count(*)::text AS n FROM messages')).toBe(before);
    expect(await count(t, 'SELECT count(*)::text AS n FROM conversations WHERE external_id = $1', [ids.conversationId])).toBe(0);
  });

  it('refuses a body that is not an activity with 400', async () => {
    const response = await postActivity(t.url, { hello: 'world' });
    expect(response.status).toBe(400);
  });

  it.each(['recipient', 'from', 'conversation', 'channelId', 'serviceUrl', 'type'])('refuses an activity without %s (required by the Activity schema) with a 400 that names it, and stores nothing', async (field) => {
    const ids = fresh();
    const { [field]: _dropped, ...incomplete } = activity('message', { ...ids, id: randomUUID() });
    const response = await postActivity(t.url, incomplete);
    expect(response.status).toBe(400);
    const body = JSON.parse(response.text);
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toContain(`${field}:`);
    expect(await count(t, 'SELECT count(*)::text AS n FROM conversations WHERE external_id = $1', [ids.conversationId])).toBe(0);
  });

  it('retries while the serviceUrl answers 500 and delivers once it recovers', async () => {
    const ids = fresh();
    connector.status = 500;
    const attemptsBefore = connector.attempts;
    expect((await postActivity(t.url, activity('message', { ...ids, id: randomUUID() }))).status).toBe(200);
    await connector.waitFor(() => connector.attempts >= attemptsBefore + 2);
    expect(connector.messages(ids.conversationId)).toEqual([]);
    connector.status = 200;
    await connector.waitFor(() => connector.texts(ids.conversationId).includes(MENU), 20_000);
    expect(connector.texts(ids.conversationId)).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const failed = await count(t, `SELECT count(*)::text AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = $1 AND m.status <> 'sent' AND m.direction = 'out'`, [ids.conversationId]);
    expect(failed).toBe(0);
  }, 30_000);

  it('cuts off a send the serviceUrl takes and never answers after CHANNEL_SEND_TIMEOUT_MS, and delivers the reply once, when it answers again', async () => {
    const ids = fresh();
    connector.hang = true;
    const abandonedBefore = connector.abandoned;
    try {
      expect((await postActivity(t.url, activity('message', { ...ids, id: randomUUID() }))).status).toBe(200);
      // Without a time limit the first request would hold the conversation for as long as the connection lasts.
      await connector.waitFor(() => connector.abandoned >= abandonedBefore + 1, 10_000);
      expect(connector.messages(ids.conversationId)).toEqual([]);
    } finally {
      connector.hang = false;
    }
    await connector.waitFor(() => connector.texts(ids.conversationId).includes(MENU), 20_000);
    // Nothing the cut-off requests carried arrives later as a second copy.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const texts = connector.texts(ids.conversationId);
    expect(texts).toHaveLength(2);
    expect(new Set(texts).size).toBe(2);
    const row = await sqlOf(t.app.store).query<{ status: string; last_error: string | null }>(
      `SELECT m.status, m.last_error FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = $1 AND m.direction = 'out' ORDER BY m.id LIMIT 1`, [ids.conversationId]);
    expect(row.rows[0]?.status).toBe('sent');
  }, 40_000);

  it('gives up at once when the serviceUrl answers 404 (the conversation is gone)', async () => {
    const ids = fresh();
    connector.status = 404;
    const attemptsBefore = connector.attempts;
    try {
      await postActivity(t.url, activity('message', { ...ids, id: randomUUID() }));
      const conversation = `SELECT count(*)::text AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = $1 AND m.direction = 'out' AND m.status = 'failed'`;
      const deadline = Date.now() + 10_000;
      while ((await count(t, conversation, [ids.conversationId])) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await count(t, conversation, [ids.conversationId])).toBeGreaterThanOrEqual(1);
      const row = await sqlOf(t.app.store).query<{ attempts: number; last_error: string }>(
        `SELECT m.attempts, m.last_error FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = $1 AND m.direction = 'out' ORDER BY m.id LIMIT 1`, [ids.conversationId]);
      expect(row.rows[0]?.attempts).toBe(1);
      expect(row.rows[0]?.last_error).toMatch(/404/);
      expect(connector.attempts - attemptsBefore).toBeLessThanOrEqual(2);
    } finally {
      connector.status = 200;
    }
  });

  it('emits handoff.initiate with the transcript when the customer is handed to a person, and handoff.status completed hands back to the bot', async () => {
    const ids = fresh();
    await postActivity(t.url, activity('message', { ...ids, id: randomUUID() }));
    await connector.waitFor(() => connector.texts(ids.conversationId).includes(MENU));
    await postActivity(t.url, activity('postback', { ...ids, id: randomUUID(), value: 'human' }));
    const initiate = await connector.waitFor(() => connector.activities.find((a) => a.conversationId === ids.conversationId && a.body.type === 'event')?.body, 15_000);
    expect(initiate.name).toBe('handoff.initiate');
    expect(initiate.value).toMatchObject({ trigger: expect.any(String), reason: expect.any(String) });
    const transcript = initiate.attachments.find((a: any) => a.name === 'Transcript');
    expect(transcript.contentType).toBe('application/json');
    const lines = transcript.content.activities.map((a: any) => [a.from.role, a.text]);
    expect(lines[0]).toEqual(['user', 'hello']);
    expect(lines).toContainEqual(['bot', MENU]);
    expect(lines).toContainEqual(['user', 'human']);

    const handoffId = initiate.value.handoffId as string;
    const status = activity('handoff-status', { ...ids, id: randomUUID() });
    expect((await postActivity(t.url, status)).status).toBe(200);
    const row = await sqlOf(t.app.store).query<{ status: string; outcome: string; desk_refs: Record<string, string> }>('SELECT status, outcome, desk_refs FROM handoffs WHERE id = $1', [handoffId]);
    expect(row.rows[0]?.status).toBe('resolved');
    expect(row.rows[0]?.outcome).toMatch(/^handoff\.status completed/);
    expect(row.rows[0]?.desk_refs['botframework:status']).toBe('completed');
    const mode = await sqlOf(t.app.store).query<{ mode: string }>('SELECT mode FROM conversations WHERE external_id = $1', [ids.conversationId]);
    expect(mode.rows[0]?.mode).toBe('bot');
    // Back with the bot: the customer hears so, and is asked to rate the help (buttons 1–5).
    const eventAt = connector.activities.findIndex((a) => a.body === initiate);
    const rating = await connector.waitFor(() => connector.activities.slice(eventAt + 1).find((a) => a.conversationId === ids.conversationId && a.body.suggestedActions?.actions?.length === 5)?.body);
    expect(rating.suggestedActions.actions.map((a: any) => a.type)).toEqual(Array(5).fill('postBack'));
  }, 30_000);
});

describe('Bot Framework channel with MicrosoftAppId set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'warn',
      MicrosoftAppId: '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant',
    });
  });
  afterAll(async () => t?.close());

  it('refuses an unsigned request with 401 and stores nothing', async () => {
    const message = activity('message', { conversationId: 'unsigned|livechat', id: randomUUID(), serviceUrl: 'http://127.0.0.1:9' });
    const unsigned = await postActivity(t.url, message);
    expect(unsigned.status).toBe(401);
    // A token no Bot Framework issuer signed (checking a token that claims a real issuer needs Microsoft's keys).
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://attacker.example', aud: '3f2a9c1e-8b7d-4e6f-a5c4-1d2e3f4a5b6c' })}.c2ln`;
    const forged = await postActivity(t.url, message, { authorization: `Bearer ${token}` });
    expect(forged.status).toBe(401);
    expect(await count(t, 'SELECT count(*)::text AS n FROM messages')).toBe(0);
    expect(await count(t, 'SELECT count(*)::text AS n FROM conversations')).toBe(0);
    expect(await count(t, 'SELECT count(*)::text AS n FROM channel_references')).toBe(0);
  });
});

describe('Bot Framework channel turned off', () => {
  it('has no endpoint and is not listed by /healthz', async () => {
    const t = await startTestApp({ FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'warn', BOTFRAMEWORK: 'false' });
    try {
      const response = await postActivity(t.url, { type: 'message' });
      expect(response.status).toBe(404);
      const health = await (await fetch(`${t.url}/healthz`)).json();
      expect(health.channels).not.toContain('botframework');
    } finally {
      await t.close();
    }
  });
});
