import { hashPassword } from '../../../src/handoff/agents.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../../adapters/whatsapp-cloud/verify.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { fixture, inbound, postSigned, status } from './fixtures.ts';
import { graphError, GraphServer, waitFor } from './graph-server.ts';
import { sqlOf } from '../../support/sql.ts';

const SECRET = 'app-secret-for-tests';
const VERIFY = 'verify-token-for-tests';
const TOKEN = 'EAAG-access-token-for-tests';
const PHONE = '106540352242922';

let seq = 0;
/** A fresh customer per test, so tests never share a conversation. */
const customer = () => `4915${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;
const wamid = () => `wamid.IN${Date.now().toString(36)}${++seq}`;

// With channel secrets set demo mode (and its demo agent) is off: one agent of our own, so that handoffs have a desk.
const AGENTS = JSON.stringify([{ id: 'ana', name: 'Ana', queues: ['support'], password: hashPassword('correct horse battery') }]);

function env(graph: GraphServer, extra: Record<string, string> = {}): Record<string, string> {
  return { WHATSAPP_VERIFY_TOKEN: VERIFY, WHATSAPP_APP_SECRET: SECRET, WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_GRAPH_URL: graph.url, LOG_LEVEL: 'silent', AGENTS, ...extra };
}

async function messagesOf(t: TestApp, waId: string) {
  const result = await sqlOf(t.app.store).query<{ id: string; direction: string; status: string; text: string | null; payload: string | null; external_id: string | null; attempts: number; last_error: string | null; delivery_status: string | null; attachments: unknown[] }>(
    `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'whatsapp' AND c.external_id = $1 ORDER BY m.id`,
    [`${PHONE}:${waId}`],
  );
  return result.rows;
}

async function countMessages(t: TestApp): Promise<number> {
  const result = await sqlOf(t.app.store).query<{ n: string }>('SELECT count(*)::text AS n FROM messages');
  return Number(result.rows[0]?.n);
}

const textOf = (request: { body: any }) => request.body.text?.body ?? request.body.interactive?.body?.text;

describe('WhatsApp Cloud API webhook', () => {
  const graph = new GraphServer();
  let t: TestApp;
  beforeAll(async () => {
    await graph.start();
    t = await startTestApp(env(graph));
  });
  afterAll(async () => {
    await t?.close();
    await graph.close();
  });
  beforeEach(() => {
    graph.respond = () => undefined;
  });

  it('answers the verification handshake only with the right verify token', async () => {
    const ok = await fetch(`${t.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${t.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444`);
    expect(wrong.status).toBe(403);
    const noMode = await fetch(`${t.url}/webhooks/whatsapp?hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(noMode.status).toBe(403);
  });

  it('lists the channel in /healthz', async () => {
    const health = (await (await fetch(`${t.url}/healthz`)).json()) as { channels: string[] };
    expect(health.channels).toContain('whatsapp');
  });

  it.each([
    ['a forged signature', (raw: string) => signBody(raw, 'not-the-secret')],
    ['no signature', () => ''],
    ['a signature of another body', () => signBody('{}', SECRET)],
    ['a malformed header', () => 'sha1=abc'],
  ])('refuses %s with 401 and stores nothing', async (_name, sign) => {
    const before = await countMessages(t);
    const body = JSON.stringify(inbound('text-message', customer(), wamid()));
    const response = await postSigned(t.url, body, SECRET, sign(body));
    expect(response.status).toBe(401);
    expect(await countMessages(t)).toBe(before);
  });

  it.each([
    ['malformed JSON', '{"object":"whatsapp_business_account","entry":['],
    ['another object', JSON.stringify({ object: 'page', entry: [] })],
    ['a message without a sender', JSON.stringify(inbound('text-message', '', wamid()))],
  ])('refuses %s (signed) with 400 and stores nothing', async (_name, raw) => {
    const before = await countMessages(t);
    const response = await postSigned(t.url, raw, SECRET);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error.code).toBe('BAD_REQUEST');
    expect(await countMessages(t)).toBe(before);
  });

  it('keeps JSON parsing of the other routes', async () => {
    const response = await fetch(`${t.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'wa-neighbour', messageId: 'm1', text: 'hi' }),
    });
    expect(response.status).toBe(200);
  });

  it('answers a text message from the number it was sent to, and the menu as an interactive list; pressing "Order status" runs that flow', async () => {
    const waId = customer();
    const response = await postSigned(t.url, inbound('text-message', waId, wamid()), SECRET);
    expect(response.status).toBe(200);
    const [welcome, menu] = await waitFor(() => (graph.to(waId).length >= 2 ? graph.to(waId) : undefined));
    expect(welcome!.path).toBe(`/v21.0/${PHONE}/messages`);
    expect(welcome!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(welcome!.body).toMatchObject({ messaging_product: 'whatsapp', to: waId, type: 'text' });
    expect(textOf(welcome!)).toMatch(/welcome to Brightwave/);
    expect(menu!.body.type).toBe('interactive');
    expect(menu!.body.interactive.type).toBe('list');
    const rows = menu!.body.interactive.action.sections[0].rows as { id: string; title: string }[];
    expect(rows.map((row) => row.title)).toEqual(['Order status', 'Returns', 'Hours & contact', 'Talk to a person', 'Deutsch']);

    const pressed = rows.find((row) => row.title === 'Order status')!;
    const press = inbound('list-reply', waId, wamid(), { interactive: { type: 'list_reply', list_reply: pressed } });
    expect((await postSigned(t.url, press, SECRET)).status).toBe(200);
    const ask = await waitFor(() => graph.to(waId)[2]);
    expect(textOf(ask)).toMatch(/What's your order number\?/);

    // The customer's messages and the bot's replies are stored; replies carry the wamid the Graph API returned.
    const stored = await waitFor(async () => {
      const rows = await messagesOf(t, waId);
      return rows.filter((m) => m.direction === 'out' && m.status === 'sent').length >= 3 ? rows : undefined;
    });
    expect(stored.find((m) => m.direction === 'in' && m.payload === 'order_status')?.text).toBe('Order status');
    expect(stored.filter((m) => m.direction === 'out').every((m) => m.external_id?.startsWith('wamid.TEST'))).toBe(true);
  });

  it('renders two or three buttons as reply buttons, and a button_reply drives the flow', async () => {
    const waId = customer();
    await postSigned(t.url, inbound('text-message', waId, wamid(), { text: { body: 'where is my order' } }), SECRET);
    await waitFor(() => graph.to(waId)[0]);
    await postSigned(t.url, inbound('text-message', waId, wamid(), { text: { body: 'BW-12345' } }), SECRET);
    const answer = await waitFor(() => graph.to(waId)[1]);
    expect(answer.body.type).toBe('interactive');
    expect(answer.body.interactive.type).toBe('button');
    expect(answer.body.interactive.body.text).toMatch(/order BW-12345 is on its way/);
    const buttons = answer.body.interactive.action.buttons as { type: string; reply: { id: string; title: string } }[];
    expect(buttons.map((b) => b.reply.title)).toEqual(['Main menu', 'Talk to a person']);
    expect(buttons.every((b) => b.type === 'reply' && b.reply.title.length <= 20)).toBe(true);

    const menuButton = buttons.find((b) => b.reply.title === 'Main menu')!.reply;
    const press = inbound('button-reply', waId, wamid(), { interactive: { type: 'button_reply', button_reply: menuButton } });
    await postSigned(t.url, press, SECRET);
    // Not greeted yet (the conversation began with a question), so the welcome comes first, then the menu.
    const menu = await waitFor(() => graph.to(waId).slice(2).find((r) => r.body.type === 'interactive'));
    expect(menu.body.interactive.type).toBe('list');
  });

  it('answers a message delivered twice once', async () => {
    const waId = customer();
    const body = inbound('text-message', waId, wamid());
    expect((await postSigned(t.url, body, SECRET)).status).toBe(200);
    await waitFor(() => graph.to(waId).length >= 2);
    expect((await postSigned(t.url, body, SECRET)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.to(waId)).toHaveLength(2);
    expect((await messagesOf(t, waId)).filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('says nothing of its own while a person has the conversation', async () => {
    const waId = customer();
    const ask = inbound('text-message', waId, wamid(), { text: { body: 'I want to talk to a person' } });
    expect((await postSigned(t.url, ask, SECRET)).status).toBe(200);
    await waitFor(() => graph.to(waId).some((request) => /number 1 in the queue|in the queue/i.test(textOf(request) ?? '')));
    const sentBefore = graph.to(waId).length;
    const later = inbound('text-message', waId, wamid(), { text: { body: 'hello? where is my order' } });
    expect((await postSigned(t.url, later, SECRET)).status).toBe(200);
    await waitFor(async () => (await messagesOf(t, waId)).some((m) => m.direction === 'in' && m.text === 'hello? where is my order'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(graph.to(waId)).toHaveLength(sentBefore);
    const conversation = await t.app.store.findConversation('whatsapp', `${PHONE}:${waId}`);
    expect(conversation?.mode).toBe('human');
  });

  it('describes media and stores it by reference, never downloading it', async () => {
    const waId = customer();
    const body = fixture('image-message');
    body.entry[0].changes[0].value.contacts[0].wa_id = waId;
    body.entry[0].changes[0].value.messages = body.entry[0].changes[0].value.messages.map((m: any, i: number) => ({ ...m, from: waId, id: `${wamid()}-${i}` }));
    expect((await postSigned(t.url, body, SECRET)).status).toBe(200);
    const rows = await waitFor(async () => {
      const rows = (await messagesOf(t, waId)).filter((m) => m.direction === 'in');
      return rows.length === 3 ? rows : undefined;
    });
    expect(rows.map((m) => m.text)).toEqual([
      '[image] the box arrived like this',
      '[location] Brightwave Store, Alexanderplatz 1, Berlin',
      '[audio]',
    ]);
    expect(rows[0]!.attachments).toEqual([{ kind: 'image', url: 'whatsapp-media:1003383421387256', mimeType: 'image/jpeg', caption: 'the box arrived like this' }]);
    expect(graph.requests.some((r) => r.path.includes('1003383421387256'))).toBe(false);
  });

  it('records status updates on the outbound message; they never move backwards; failed marks it failed with the reason', async () => {
    const waId = customer();
    await postSigned(t.url, inbound('text-message', waId, wamid()), SECRET);
    await waitFor(async () => (await messagesOf(t, waId)).filter((m) => m.direction === 'out' && m.status === 'sent').length === 2);
    const [first, second] = (await messagesOf(t, waId)).filter((m) => m.direction === 'out');
    await postSigned(t.url, status(first!.external_id!, 'delivered', waId), SECRET);
    await postSigned(t.url, status(first!.external_id!, 'read', waId), SECRET);
    await postSigned(t.url, status(first!.external_id!, 'delivered', waId), SECRET);
    const failure = [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable' }];
    expect((await postSigned(t.url, status(second!.external_id!, 'failed', waId, failure), SECRET)).status).toBe(200);
    // A status of a message Parley does not know is accepted and ignored.
    expect((await postSigned(t.url, status('wamid.UNKNOWN', 'read', waId), SECRET)).status).toBe(200);
    const [a, b] = (await messagesOf(t, waId)).filter((m) => m.direction === 'out');
    expect(a).toMatchObject({ status: 'sent', delivery_status: 'read' });
    expect(b).toMatchObject({ status: 'failed', delivery_status: 'failed', last_error: '131026: Message undeliverable' });
  });

  it('retries while the Graph API answers 500, then delivers every reply once, in order', async () => {
    const waId = customer();
    let failures = 0;
    graph.respond = (request) => (request.body.to === waId && failures++ < 2 ? graphError(500, 1, 'An unknown error occurred') : undefined);
    await postSigned(t.url, inbound('text-message', waId, wamid()), SECRET);
    const sent = await waitFor(() => (graph.to(waId).length >= 2 ? graph.to(waId) : undefined), 15_000);
    expect(failures).toBeGreaterThanOrEqual(2);
    expect(textOf(sent[0]!)).toMatch(/welcome/);
    expect(sent[1]!.body.interactive.type).toBe('list');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(graph.to(waId)).toHaveLength(2);
    const out = (await messagesOf(t, waId)).filter((m) => m.direction === 'out');
    expect(out.map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(out[0]!.attempts).toBe(2);
  });

  it('gives up at once on a permanent refusal (400, invalid recipient) and shows the reason', async () => {
    const waId = customer();
    graph.respond = (request) =>
      request.body.to === waId ? graphError(400, 131030, '(#131030) Recipient phone number not in allowed list', 'Recipient phone number not in allowed list') : undefined;
    await postSigned(t.url, inbound('text-message', waId, wamid()), SECRET);
    const out = await waitFor(async () => {
      const rows = (await messagesOf(t, waId)).filter((m) => m.direction === 'out');
      return rows.length === 2 && rows.every((m) => m.status === 'failed') ? rows : undefined;
    });
    expect(out[0]!.attempts).toBe(1);
    expect(out[0]!.last_error).toMatch(/HTTP 400, code 131030: Recipient phone number not in allowed list/);
    expect(graph.requests.filter((r) => r.body.to === waId)).toHaveLength(2);
  });

  it('outside the 24-hour window keeps a free-form reply waiting, with the reason, and sends it first when the customer writes again', async () => {
    const waId = customer();
    await postSigned(t.url, inbound('text-message', waId, wamid()), SECRET);
    await waitFor(() => graph.to(waId).length >= 2);
    const conversation = (await t.app.store.findConversation('whatsapp', `${PHONE}:${waId}`))!;
    await sqlOf(t.app.store).query(`UPDATE messages SET created_at = now() - interval '25 hours' WHERE conversation_id = $1 AND direction = 'in'`, [conversation.id]);
    const before = graph.requests.length;
    const late = await t.app.store.insertOutbound(conversation.id, { text: 'An agent here: your refund went out today.' });
    await t.app.outbox.dispatch(conversation.id, conversation.address, [late]);
    await t.app.outbox.sweep(0);
    const [row] = (await messagesOf(t, waId)).filter((m) => m.id === late.id);
    expect(row).toMatchObject({ status: 'pending', attempts: 0, delivery_status: 'waiting' });
    expect(row!.last_error).toMatch(/outside WhatsApp's 24-hour window .* sent when the customer writes again/);
    expect(graph.requests.length).toBe(before);

    await postSigned(t.url, inbound('text-message', waId, wamid()), SECRET);
    await waitFor(() => graph.to(waId).length >= 4);
    expect(textOf(graph.to(waId)[2]!)).toBe('An agent here: your refund went out today.');
    const [sent] = (await messagesOf(t, waId)).filter((m) => m.id === late.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 0, last_error: null });
  });
});

describe('WhatsApp Cloud API with a template for the 24-hour window', () => {
  const graph = new GraphServer();
  let t: TestApp;
  beforeAll(async () => {
    await graph.start();
    t = await startTestApp(env(graph, { WHATSAPP_TEMPLATE: 'parley_followup:en_US' }));
  });
  afterAll(async () => {
    await t?.close();
    await graph.close();
  });

  it('sends the configured template instead of a free-form reply outside the window', async () => {
    const waId = customer();
    await postSigned(t.url, inbound('text-message', waId, wamid()), SECRET);
    await waitFor(() => graph.to(waId).length >= 2);
    const conversation = (await t.app.store.findConversation('whatsapp', `${PHONE}:${waId}`))!;
    await sqlOf(t.app.store).query(`UPDATE messages SET created_at = now() - interval '25 hours' WHERE conversation_id = $1 AND direction = 'in'`, [conversation.id]);
    const late = await t.app.store.insertOutbound(conversation.id, { text: 'An agent here: your refund went out today.' });
    await t.app.outbox.dispatch(conversation.id, conversation.address, [late]);
    const template = graph.to(waId)[2]!;
    expect(template.body).toEqual({ messaging_product: 'whatsapp', to: waId, type: 'template', template: { name: 'parley_followup', language: { code: 'en_US' } } });
    const [row] = (await messagesOf(t, waId)).filter((m) => m.id === late.id);
    expect(row).toMatchObject({ status: 'sent', external_id: graph.lastWamid });
  });
});
