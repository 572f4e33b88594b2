import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/handoff/agents.ts';
import { inbound, postSigned } from '../channels/whatsapp-cloud/fixtures.ts';
import { GraphServer } from '../channels/whatsapp-cloud/graph-server.ts';
import { ANA, asAgent, collectFrames, eventually, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { say } from '../support/app.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * Issue 7 on the real stack: the web chat over HTTP, WhatsApp Cloud API webhooks signed and posted to the real
 * receiver with the Graph API as a local server, agents through the console's API, the business through
 * /api/notify; PostgreSQL and Redis real. One app for the file; every test has its own customers.
 */
const SECRET = 'app-secret-for-tests';
const PHONE_ID = '106540352242922';
const API_KEY = 'notify-key-0123456789abcdefghij';

let seq = 0;
const waNumber = () => `4915${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;
const webId = () => `cust-${process.pid}-${++seq}`;
const wamid = () => `wamid.IN${Date.now().toString(36)}${++seq}`;
const textOf = (request: { body: any }): string => request.body.text?.body ?? request.body.interactive?.body?.text ?? '';

describe('the customer\'s choice: channels, preference, consent', () => {
  const graph = new GraphServer();
  let t: HandoffApp;

  beforeAll(async () => {
    await graph.start();
    t = await startHandoffApp({
      WHATSAPP_VERIFY_TOKEN: 'verify-token-for-tests', WHATSAPP_APP_SECRET: SECRET, WHATSAPP_ACCESS_TOKEN: 'EAAG-token', WHATSAPP_GRAPH_URL: graph.url,
      NOTIFY_API_KEYS: `shop=${hashToken(API_KEY)}`, LOG_LEVEL: 'silent',
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await graph.close();
  });

  /** The customer writes on WhatsApp; resolves with what Parley sends them back (new Graph requests). */
  async function waSays(waId: string, text: string, expectReplies = 1): Promise<string[]> {
    const before = graph.to(waId).length;
    const posted = await postSigned(t.url, inbound('text-message', waId, wamid(), { text: { body: text } }), SECRET);
    expect(posted.status).toBe(200);
    const replies = await eventually(async () => (graph.to(waId).length >= before + expectReplies ? graph.to(waId).slice(before) : undefined));
    return replies.map(textOf);
  }

  async function webSays(conversationId: string, text: string, payload?: string) {
    const result = await say(t.url, conversationId, `m${++seq}`, payload ? { payload } : { text });
    return result.replies;
  }

  async function customerOf(channel: string, userId: string): Promise<string> {
    const result = await sqlOf(t.app.store).query<{ customer_id: string }>('SELECT customer_id FROM identities WHERE channel = $1 AND external_id = $2', [channel, userId]);
    return result.rows[0]!.customer_id;
  }

  async function notify(body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${t.url}/api/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  }

  /** A customer known on the web chat and on WhatsApp, linked with a code sent to WhatsApp. */
  async function linkedCustomer(): Promise<{ web: string; wa: string }> {
    const wa = waNumber();
    await waSays(wa, 'hi');
    const web = webId();
    await webSays(web, 'hello');
    // The number as a person writes it: 0049 and spaces; the code goes to the WhatsApp conversation.
    const spaced = `0049 ${wa.slice(2, 5)} ${wa.slice(5)}`;
    const asked = await webSays(web, `link my WhatsApp ${spaced}`);
    expect(asked.map((r) => r.text).join(' ')).toMatch(/If we already chat with you there, you may get a code from us there too/);
    const codeMessage = await eventually(async () => graph.to(wa).map(textOf).find((text) => /code to link/.test(text)));
    const code = /(\d{6})/.exec(codeMessage)![1]!;
    const done = await webSays(web, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(done[0]!.text).toMatch(/WhatsApp and the web chat are now linked/);
    expect(done[0]!.buttons.map((b) => b.payload)).toEqual(['#prefer:whatsapp', '#prefer:web']);
    return { web, wa };
  }

  it('links the web chat and WhatsApp with a one-time code sent on WhatsApp; a wrong code links nothing', async () => {
    const wa = waNumber();
    await waSays(wa, 'hi');
    const web = webId();
    await webSays(web, 'hello');
    expect(await customerOf('web', web)).not.toBe(await customerOf('whatsapp', wa));
    await webSays(web, `please link my whatsapp +${wa}`);
    await eventually(async () => graph.to(wa).map(textOf).find((text) => /code to link this chat with the web chat/.test(text)));
    const again = await webSays(web, `please link my whatsapp +${wa}`);
    expect(again[0]!.text).toMatch(/You asked for a code just now/);
    expect(graph.to(wa).map(textOf).filter((text) => /code to link/.test(text))).toHaveLength(1);
    const wrong = await webSays(web, '000000');
    expect(wrong[0]!.text).toMatch(/code isn't right/);
    expect(await customerOf('web', web)).not.toBe(await customerOf('whatsapp', wa));

    const linked = await linkedCustomer();
    const customer = await customerOf('web', linked.web);
    expect(await customerOf('whatsapp', linked.wa)).toBe(customer);
    const links = await sqlOf(t.app.store).query('SELECT how FROM customer_links WHERE customer_id = $1', [customer]);
    expect(links.rows).toEqual([{ how: 'code' }]);
    // The consent each identity gave moved with it.
    const consents = await sqlOf(t.app.store).query<{ channel: string }>(`SELECT DISTINCT channel FROM consent_events WHERE customer_id = $1 ORDER BY channel`, [customer]);
    expect(consents.rows.map((r) => r.channel)).toEqual(['web', 'whatsapp']);
  });

  it('links with a code shown here and sent from the number given, when Parley cannot write there first', async () => {
    const web = webId();
    await webSays(web, 'hello');
    expect((await webSays(web, 'connect WhatsApp'))[0]!.text).toMatch(/Which number\?/);
    const wa = waNumber();
    const shown = await webSays(web, `connect WhatsApp +${wa}`);
    const code = /from that number on WhatsApp: (\d{6})/.exec(shown[0]!.text)![1]!;
    const replies = await waSays(wa, code);
    expect(replies[0]).toMatch(/the web chat and WhatsApp are now linked/);
    expect(await customerOf('whatsapp', wa)).toBe(await customerOf('web', web));
  });

  it('links WhatsApp with the web chat by a long code shown on WhatsApp and typed in the web chat', async () => {
    const wa = waNumber();
    await waSays(wa, 'hi');
    const shown = await waSays(wa, 'link my web chat');
    const code = /send us this code there: ([2-9A-Z]{5}-[2-9A-Z]{5})/.exec(shown[0]!)![1]!;
    const web = webId();
    const done = await webSays(web, code);
    expect(done[0]!.text).toMatch(/WhatsApp and the web chat are now linked/);
    expect(await customerOf('web', web)).toBe(await customerOf('whatsapp', wa));
  });

  it("links through the business's app: a code sent on WhatsApp, typed in the app, verified through the API", async () => {
    const wa = waNumber();
    await waSays(wa, 'hi');
    const web = webId();
    await webSays(web, 'hello');
    const app = { channel: 'web', identity: web };
    const api = (pathname: string, body: unknown) => fetch(`${t.url}${pathname}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` }, body: JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as any }));
    expect((await api('/api/link-codes', { customer: app, channel: 'whatsapp', identity: '+4915999999999' })).status).toBe(404);
    const asked = await api('/api/link-codes', { customer: app, channel: 'whatsapp', identity: `+${wa}` });
    expect(asked.status).toBe(202);
    const message = await eventually(async () => graph.to(wa).map(textOf).find((text) => /link this chat with your customer account/.test(text)));
    const code = /(\d{6})/.exec(message)![1]!;
    const wrong = await api('/api/link-codes/verify', { customer: app, code: code === '111111' ? '222222' : '111111' });
    expect(wrong).toMatchObject({ status: 422, json: { error: { code: 'WRONG_CODE' } } });
    const right = await api('/api/link-codes/verify', { customer: app, code });
    expect(right).toMatchObject({ status: 200, json: { linked: true } });
    expect(await customerOf('whatsapp', wa)).toBe(await customerOf('web', web));
    const reused = await api('/api/link-codes/verify', { customer: app, code });
    expect(reused).toMatchObject({ status: 422, json: { error: { code: 'NO_PENDING_CODE' } } });
  });

  it('the preferred channel: by words, by a button, and refused for a channel the customer has not linked', async () => {
    const { web, wa } = await linkedCustomer();
    const customer = await customerOf('web', web);
    const preferred = async () => (await sqlOf(t.app.store).query<{ preferred_channel: string | null }>('SELECT preferred_channel FROM customers WHERE id = $1', [customer])).rows[0]!.preferred_channel;

    const words = await webSays(web, 'Please message me on WhatsApp instead');
    expect(words[0]!.text).toMatch(/we'll message you on WhatsApp/);
    expect(await preferred()).toBe('whatsapp');
    const button = await webSays(web, '', '#prefer:web');
    expect(button[0]!.text).toMatch(/message you on the web chat/);
    expect(await preferred()).toBe('web');
    const german = await waSays(wa, 'Schreiben Sie mir lieber über WhatsApp');
    expect(german[0]).toMatch(/schreiben wir Ihnen über WhatsApp/);
    expect(await preferred()).toBe('whatsapp');

    // A bare "start" with nothing stopped is no consent command: the flows answer it.
    const bare = await webSays(webId(), 'start');
    expect(bare.map((r) => r.text).join(' ')).not.toMatch(/notifications|Welcome back/);

    const stranger = webId();
    const refused = await webSays(stranger, 'message me on WhatsApp instead');
    expect(refused[0]!.text).toMatch(/can't reach you on WhatsApp yet/);
    expect(refused[0]!.buttons.map((b) => b.payload)).toEqual(['#link:whatsapp']);
    const none = await sqlOf(t.app.store).query('SELECT preferred_channel FROM customers WHERE id = $1', [await customerOf('web', stranger)]);
    expect(none.rows[0]).toEqual({ preferred_channel: null });
  });

  it("an agent's reply goes to the open web chat, and to WhatsApp once the customer has left it", async () => {
    const { web, wa } = await linkedCustomer();
    await webSays(web, 'I want to talk to a person');
    const handoff = (await eventually(() => findHandoff(web)))!;
    const open = await collectFrames(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=${web}`);
    await eventually(async () => open.frames.find((f) => f.type === 'history'));
    const live = 'Hi, Ana here. Let me check that for you.';
    expect((await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff.id}/replies`, { messageId: `r${++seq}`, text: live })).status).toBe(200);
    await eventually(async () => open.frames.find((f) => f.type === 'message' && f.message.text === live));
    open.socket.close();
    await eventually(async () => ((await t.app.redis.client.pubsub('NUMSUB', `parley:webchat:${web}`)) as [string, number])[1] === 0 || undefined);

    const later = 'Your replacement ships today.';
    expect((await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff.id}/replies`, { messageId: `r${++seq}`, text: later })).status).toBe(200);
    await eventually(async () => graph.to(wa).map(textOf).find((body) => body === later));
    expect(graph.to(wa).map(textOf)).not.toContain(live);
    // It is kept in the WhatsApp conversation, where the customer received it.
    const whatsapp = (await t.app.store.findConversation('whatsapp', `${PHONE_ID}:${wa}`))!;
    const kept = await t.app.store.transcript(whatsapp.id, { limit: 1000 });
    expect(kept.find((m) => m.text === later)).toMatchObject({ channel: 'whatsapp', direction: 'out' });
    // The agent still sees it in the handoff's transcript, in its place, marked with the channel it went out on.
    const detail = await eventually(async () => {
      const json = (await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff.id}`)).json;
      return json.transcript.find((line: { text: string; delivery?: { state: string } }) => line.text === later && line.delivery?.state === 'sent') ? json : undefined;
    });
    const agentLines = detail.transcript.filter((line: { kind: string }) => line.kind === 'agent');
    expect(agentLines.map((line: { text: string; channel?: string }) => [line.text, line.channel])).toEqual([[live, undefined], [later, 'whatsapp']]);
  });

  async function findHandoff(webConversation: string) {
    const result = await sqlOf(t.app.store).query<{ id: string }>(
      `SELECT h.id FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE c.channel = 'web' AND c.external_id = $1 AND h.status <> 'resolved'`, [webConversation]);
    return result.rows[0];
  }

  it('an agent links a customer to a WhatsApp number they give on the phone', async () => {
    const web = webId();
    await webSays(web, 'talk to a person please');
    const handoff = await eventually(() => findHandoff(web));
    expect(handoff).toBeDefined();
    const customer = await customerOf('web', web);
    const wa = waNumber();
    const unauthenticated = await fetch(`${t.url}/agent/api/customers/link`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauthenticated.status).toBe(401);
    const bad = await asAgent(t.url, ANA.token, '/agent/api/customers/link', { customerId: customer, with: { channel: 'whatsapp', identity: 'not a number' } });
    expect(bad.status).toBe(400);
    // A number Parley has never seen joins the customer on the agent's word (and is recorded as that).
    const linked = await asAgent(t.url, ANA.token, '/agent/api/customers/link', { customerId: customer, with: { channel: 'whatsapp', identity: `+${wa.slice(0, 2)} ${wa.slice(2)}` } });
    expect(linked.status).toBe(200);
    expect(linked.json.merged).toBe(false);
    expect(linked.json.identities.map((i: { channel: string }) => i.channel)).toEqual(['web', 'whatsapp']);
    const links = await sqlOf(t.app.store).query('SELECT how, actor, channel FROM customer_links WHERE customer_id = $1', [customer]);
    expect(links.rows).toEqual([{ how: 'agent-word', actor: 'ana', channel: 'whatsapp' }]);
    await waSays(wa, 'hello from whatsapp');
    expect(await customerOf('whatsapp', wa)).toBe(customer);
  });

  it('STOP and START on WhatsApp, in English and German: confirmed, recorded, and honoured by /api/notify', async () => {
    const wa = waNumber();
    await waSays(wa, 'hi');
    const customer = { channel: 'whatsapp', identity: `+${wa}` };
    const refusedBefore = await notify({ customer, purpose: 'notifications', text: 'Your order BW-12345 has shipped.' });
    expect(refusedBefore.status).toBe(409);
    expect(refusedBefore.json.error).toEqual({ code: 'NO_CONSENT', message: 'no consent for notifications on whatsapp' });

    const started = await waSays(wa, 'Subscribe');
    expect(started[0]).toMatch(/you'll get messages from our team and notifications on WhatsApp again/);
    const shipped = await notify({ customer, purpose: 'notifications', text: 'Your order BW-12345 has shipped.' });
    expect(shipped.status).toBe(202);
    expect(shipped.json.channel).toBe('whatsapp');
    await eventually(async () => graph.to(wa).map(textOf).find((text) => text === 'Your order BW-12345 has shipped.'));

    const stopped = await waSays(wa, 'Stop messages');
    expect(stopped[0]).toMatch(/you won't get messages from us on WhatsApp any more/);
    const refused = await notify({ customer, purpose: 'notifications', text: 'Your order BW-23456 has shipped.' });
    expect(refused.status).toBe(409);
    const message = await sqlOf(t.app.store).query<{ status: string; last_error: string; purpose: string }>('SELECT status, last_error, purpose FROM messages WHERE id = $1', [refused.json.messageId]);
    expect(message.rows[0]).toEqual({ status: 'failed', last_error: 'no consent for notifications on whatsapp', purpose: 'notifications' });
    expect(graph.to(wa).map(textOf)).not.toContain('Your order BW-23456 has shipped.');

    const restarted = await waSays(wa, 'START');
    expect(restarted[0]).toMatch(/you'll get messages from our team and notifications on WhatsApp again/);
    const german = await waSays(wa, 'stopp');
    expect(german[0]).toMatch(/Sie bekommen von uns über WhatsApp keine Nachrichten mehr/);
    const back = await waSays(wa, 'Anmelden');
    expect(back[0]).toMatch(/Willkommen zurück: Sie erhalten über WhatsApp wieder Nachrichten unseres Teams und Benachrichtigungen\./);

    const id = await customerOf('whatsapp', wa);
    const ledger = await sqlOf(t.app.store).query<{ purpose: string; state: string; how: string; said: string | null }>(
      `SELECT purpose, state, how, said FROM consent_events WHERE customer_id = $1 AND purpose = 'notifications' ORDER BY id`, [id]);
    expect(ledger.rows).toEqual([
      { purpose: 'notifications', state: 'granted', how: 'keyword', said: 'Subscribe' },
      { purpose: 'notifications', state: 'withdrawn', how: 'keyword', said: 'Stop messages' },
      { purpose: 'notifications', state: 'granted', how: 'keyword', said: 'START' },
      { purpose: 'notifications', state: 'withdrawn', how: 'keyword', said: 'stopp' },
      { purpose: 'notifications', state: 'granted', how: 'keyword', said: 'Anmelden' },
    ]);
    const service = await sqlOf(t.app.store).query<{ how: string }>(`SELECT how FROM consent_events WHERE customer_id = $1 AND purpose = 'service' ORDER BY id LIMIT 1`, [id]);
    expect(service.rows[0]).toEqual({ how: 'implied-by-contact' });
    const refusals = await sqlOf(t.app.store).query<{ reason: string }>('SELECT reason FROM consent_refusals WHERE customer_id = $1', [id]);
    expect(refusals.rows.map((r) => r.reason)).toEqual(['no consent for notifications on whatsapp', 'no consent for notifications on whatsapp']);
  });

  it("STOP in the customer's own words: understood, confirmed in their language, recorded as words; a question that mentions stopping withdraws nothing", async () => {
    const wa = waNumber();
    await waSays(wa, 'Subscribe');
    const question = await waSays(wa, "my speaker won't stop beeping, what can I do");
    expect(question.join(' ')).not.toMatch(/you won't get messages from us/);
    const stopped = await waSays(wa, "I'm not interested, please stop writing to me");
    expect(stopped[0]).toMatch(/you won't get messages from us on WhatsApp any more/);
    const german = await waSays(wa, 'hört bitte auf, mir hier zu schreiben');
    expect(german[0]).toMatch(/Sie bekommen von uns über WhatsApp keine Nachrichten mehr/);
    const refused = await notify({ customer: { channel: 'whatsapp', identity: `+${wa}` }, purpose: 'notifications', text: 'Your order BW-34567 has shipped.' });
    expect(refused.status).toBe(409);
    const ledger = await sqlOf(t.app.store).query<{ state: string; how: string; said: string | null }>(
      `SELECT state, how, said FROM consent_events WHERE customer_id = $1 AND purpose = 'notifications' ORDER BY id`, [await customerOf('whatsapp', wa)]);
    expect(ledger.rows).toEqual([
      { state: 'granted', how: 'keyword', said: 'Subscribe' },
      { state: 'withdrawn', how: 'words', said: "I'm not interested, please stop writing to me" },
      { state: 'withdrawn', how: 'words', said: 'hört bitte auf, mir hier zu schreiben' },
    ]);
  });

  it("STOP during a handoff: confirmed in the customer's language, the person keeps the conversation, and the agent's next message is refused", async () => {
    const web = webId();
    await webSays(web, 'talk to a person');
    const handoff = await eventually(() => findHandoff(web));
    const stopped = await webSays(web, 'Keine Nachrichten mehr');
    expect(stopped.map((r) => r.text)).toEqual([expect.stringMatching(/Erledigt: Sie bekommen von uns über Web-Chat keine Nachrichten mehr/)]);
    const conversation = (await t.app.store.findConversation('web', web))!;
    expect(conversation.mode).toBe('human');
    const sent = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff!.id}/replies`, { messageId: `r${++seq}`, text: 'Are you still there?' });
    expect(sent.status).toBe(200);
    const message = await eventually(async () => {
      const rows = await sqlOf(t.app.store).query<{ status: string; last_error: string | null }>(`SELECT status, last_error FROM messages WHERE id = $1`, [sent.json.message.id]);
      return rows.rows[0]?.status === 'failed' ? rows.rows[0] : undefined;
    });
    expect(message.last_error).toBe('no consent for service on web');

    const restarted = await webSays(web, 'Starten');
    expect(restarted.map((r) => r.text)).toEqual([expect.stringMatching(/Willkommen zurück: Sie erhalten über Web-Chat wieder Nachrichten unseres Teams/)]);
    const again = await asAgent(t.url, ANA.token, `/agent/api/handoffs/${handoff!.id}/replies`, { messageId: `r${++seq}`, text: 'Good to have you back.' });
    await eventually(async () => (await sqlOf(t.app.store).query<{ status: string }>('SELECT status FROM messages WHERE id = $1', [again.json.message.id])).rows[0]?.status === 'sent' || undefined);
  });

  it('/api/notify: 401 for a bad key, 400 for bad input, 404 for an unknown customer, and one message per Idempotency-Key', async () => {
    const badKey = await notify({ customer: { id: '00000000-0000-4000-8000-000000000000' }, purpose: 'notifications', text: 'x' }, { authorization: 'Bearer wrong-key-0123456789abcdefg' });
    expect(badKey.status).toBe(401);
    expect((await notify({ customer: {}, purpose: 'notifications', text: 'x' })).status).toBe(400);
    expect((await notify({ customer: { channel: 'whatsapp', identity: '+4915100000000' }, purpose: 'sales', text: 'x' })).status).toBe(400);
    expect((await notify({ customer: { id: '00000000-0000-4000-8000-000000000000' }, purpose: 'notifications', text: 'x' })).status).toBe(404);

    const wa = waNumber();
    await waSays(wa, 'hi');
    await waSays(wa, 'subscribe');
    const body = { customer: { channel: 'whatsapp', identity: `00${wa}` }, purpose: 'notifications', text: `Your order ships today (${wa}).` };
    const first = await notify(body, { 'idempotency-key': `order-${wa}` });
    const again = await notify(body, { 'idempotency-key': `order-${wa}` });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.json).toEqual(first.json);
    const other = await notify({ ...body, text: 'something else' }, { 'idempotency-key': `order-${wa}` });
    expect(other.status).toBe(422);
    await eventually(async () => graph.to(wa).map(textOf).find((text) => text === body.text));
    const stored = await sqlOf(t.app.store).query('SELECT id FROM messages WHERE text = $1', [body.text]);
    expect(stored.rowCount).toBe(1);

    // A customer Parley cannot reach on any channel: 422, and the refusal is recorded.
    const lonely = (await sqlOf(t.app.store).query<{ id: string }>('INSERT INTO customers (display_name) VALUES (NULL) RETURNING id')).rows[0]!.id;
    const unreachable = await notify({ customer: { id: lonely }, purpose: 'notifications', text: 'Hello?' });
    expect(unreachable.status).toBe(422);
    expect(unreachable.json.error.code).toBe('NO_REACHABLE_CHANNEL');
    expect((await sqlOf(t.app.store).query('SELECT 1 FROM consent_refusals WHERE customer_id = $1', [lonely])).rowCount).toBe(1);
  });

  it('/api/consents records consent given elsewhere with its text; /api/customers/:id shows identities and consent in force', async () => {
    const wa = waNumber();
    await waSays(wa, 'hi');
    const consentText = 'Keep me posted about my order on WhatsApp';
    const post = (body: unknown) => fetch(`${t.url}/api/consents`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify(body) });
    const missingText = await post({ customer: { channel: 'whatsapp', identity: wa }, channel: 'whatsapp', purpose: 'marketing', state: 'granted' });
    expect(missingText.status).toBe(400);
    const otherChannel = await post({ customer: { channel: 'whatsapp', identity: wa }, channel: 'slack', purpose: 'marketing', state: 'granted', text: consentText });
    expect(otherChannel.status).toBe(400);
    const granted = await post({ customer: { channel: 'whatsapp', identity: `+${wa}` }, channel: 'whatsapp', purpose: 'marketing', state: 'granted', text: consentText });
    expect(granted.status).toBe(201);
    const id = await customerOf('whatsapp', wa);
    const profile = await fetch(`${t.url}/api/customers/${id}`, { headers: { authorization: `Bearer ${API_KEY}` } });
    const json = (await profile.json()) as any;
    expect(json.identities).toEqual([{ channel: 'whatsapp', identity: wa, phone: `+${wa}` }]);
    expect(json.preferredChannel).toBe('whatsapp');
    expect(json.consents).toEqual(expect.arrayContaining([
      expect.objectContaining({ channel: 'whatsapp', purpose: 'marketing', state: 'granted', how: 'api', said: consentText }),
      expect.objectContaining({ channel: 'whatsapp', purpose: 'service', state: 'granted', how: 'implied-by-contact' }),
    ]));
    const offer = await notify({ customer: { id }, purpose: 'marketing', text: 'Wave 700: 20% off this week.' });
    expect(offer.status).toBe(202);
    await eventually(async () => graph.to(wa).map(textOf).find((text) => text === 'Wave 700: 20% off this week.'));
  });
});
