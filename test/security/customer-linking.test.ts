/**
 * Issue 14, items 2, 3 and 8, replayed on the real stack (web chat over HTTP from several client addresses through a
 * trusted proxy, signed WhatsApp Cloud webhooks with the Graph API as a local server, the agent console's API, real
 * Redis and PostgreSQL):
 * - a link code cannot be guessed by opening new web conversations, and a code for WhatsApp links only its number;
 * - "link my WhatsApp +49…" reads the same for a customer's number and a stranger's, and codes sent to a number are
 *   limited;
 * - an agent cannot link a customer of another queue (by id or by their number), and what agents vouched for is
 *   listed for admins.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inbound, postSigned } from '../channels/whatsapp-cloud/fixtures.ts';
import { GraphServer } from '../channels/whatsapp-cloud/graph-server.ts';
import { ANA, BEN, asAgent, eventually, startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { sqlOf } from '../support/sql.ts';

const SECRET = 'app-secret-for-tests';
const ADMIN_TOKEN = 'admin-token-for-link-tests-0123456789';

let seq = 0;
const waNumber = () => `4916${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;
const webId = () => `link-${process.pid}-${++seq}-${randomUUID()}`;
const wamid = () => `wamid.LINK${Date.now().toString(36)}${++seq}`;
let addresses = 0;
const address = () => `198.51.${Math.floor(++addresses / 250)}.${addresses % 250}`;
const textOf = (request: { body: any }): string => request.body.text?.body ?? request.body.interactive?.body?.text ?? '';
const LONG_CODE = /([2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5})/;

describe('linking a customer\'s channels cannot be guessed, probed or stretched across queues', () => {
  const graph = new GraphServer();
  let t: HandoffApp;

  beforeAll(async () => {
    await graph.start();
    t = await startHandoffApp({
      WHATSAPP_VERIFY_TOKEN: 'verify-token-for-tests', WHATSAPP_APP_SECRET: SECRET, WHATSAPP_ACCESS_TOKEN: 'EAAG-token', WHATSAPP_GRAPH_URL: graph.url,
      TRUST_PROXY: 'true', ADMIN_TOKEN, LOG_LEVEL: 'silent',
      LINK_ATTEMPTS_PER_ADDRESS: '5', LINK_CODES_PER_ADDRESS: '2', LINK_CODES_PER_NUMBER: '3',
      // Customers who write on WhatsApp wait in Ben's queue; the web chat's in Ana's.
      HANDOFF_ROUTES: JSON.stringify([{ channel: 'whatsapp', queue: 'billing' }]),
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await graph.close();
  });

  async function waSays(waId: string, text: string): Promise<string[]> {
    const before = graph.to(waId).length;
    expect((await postSigned(t.url, inbound('text-message', waId, wamid(), { text: { body: text } }), SECRET)).status).toBe(200);
    const replies = await eventually(async () => (graph.to(waId).length > before ? graph.to(waId).slice(before) : undefined));
    return replies.map(textOf);
  }

  /** One web chat message from a client behind the trusted proxy; the replies' texts. */
  async function webSays(conversationId: string, text: string, from: string): Promise<string[]> {
    const response = await fetch(`${t.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
      body: JSON.stringify({ conversationId, messageId: `m${++seq}`, text }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { replies: { text: string }[] }).replies.map((r) => r.text);
  }

  async function customerOf(channel: string, userId: string): Promise<string | undefined> {
    const result = await sqlOf(t.app.store).query<{ customer_id: string }>('SELECT customer_id FROM identities WHERE channel = $1 AND external_id = $2', [channel, userId]);
    return result.rows[0]?.customer_id;
  }

  const codesTo = (wa: string) => graph.to(wa).map(textOf).filter((text) => /code to link/.test(text));
  /** Moves the codes asked for a number a few minutes back, as if the customer had waited between requests. */
  const later = (wa: string) => sqlOf(t.app.store).query(`UPDATE link_codes SET created_at = created_at - interval '2 minutes' WHERE target_user_id = $1`, [wa]);

  it('a code for the web chat is long, and new web conversations from one address stop being checked after a few wrong codes', async () => {
    const victim = waNumber();
    await waSays(victim, 'hi');
    const shown = (await waSays(victim, 'link my web chat')).join(' ');
    const code = LONG_CODE.exec(shown)?.[1];
    expect(code).toBeDefined();
    const guesser = address();
    for (let i = 0; i < 5; i++) {
      // A fresh conversation each time is a fresh customer: only the address ties the guesses together.
      const wrong = `${code!.slice(0, 5)}-${'23456789AB'.slice(i, i + 5)}`;
      expect((await webSays(webId(), wrong, guesser)).join(' ')).toMatch(/code isn't right/);
    }
    const lucky = webId();
    const replies = await webSays(lucky, code!, guesser);
    expect(replies.join(' ')).not.toMatch(/now linked/);
    expect(await customerOf('web', lucky)).not.toBe(await customerOf('whatsapp', victim));
    // The code itself still works for the customer, from their own address.
    const own = webId();
    expect((await webSays(own, code!.toLowerCase(), address())).join(' ')).toMatch(/now linked/);
    expect(await customerOf('web', own)).toBe(await customerOf('whatsapp', victim));
  });

  it('a code for WhatsApp needs a number and links only that number; the number itself gets five tries', async () => {
    const visitor = webId();
    const from = address();
    expect((await webSays(visitor, 'connect WhatsApp', from)).join(' ')).toMatch(/Which number\?/);
    const number = waNumber();
    const shown = (await webSays(visitor, `connect WhatsApp +${number}`, from)).join(' ');
    const code = /on WhatsApp: (\d{6})/.exec(shown)![1]!;
    // Another number sending the right code links nothing: the code is not theirs to send.
    const guesser = waNumber();
    await waSays(guesser, 'hello');
    expect((await postSigned(t.url, inbound('text-message', guesser, wamid(), { text: { body: code } }), SECRET)).status).toBe(200);
    await eventually(async () => ((await sqlOf(t.app.store).query(
      `SELECT 1 FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'whatsapp' AND c.external_id LIKE '%' || $1 AND m.status = 'processed' AND m.text = $2`,
      [guesser, code])).rowCount === 1) || undefined);
    expect(await customerOf('whatsapp', guesser)).not.toBe(await customerOf('web', visitor));
    // The number itself: five wrong codes void it, and the right one then links nothing.
    for (let i = 1; i <= 5; i++) {
      const wrong = String((Number(code) + i) % 1_000_000).padStart(6, '0');
      expect((await waSays(number, wrong)).join(' ')).toMatch(/code isn't right/);
    }
    await waSays(number, code);
    expect(await customerOf('whatsapp', number)).not.toBe(await customerOf('web', visitor));
  });

  it('"link my WhatsApp +…" reads the same for a customer\'s number and a stranger\'s, and a number gets few codes', async () => {
    const known = waNumber();
    await waSays(known, 'hi');
    const stranger = waNumber();
    const blank = (text: string, number: string) => text.replace(`+${number}`, '<number>').replace(/\d{6}/g, '<code>');
    const forKnown = (await webSays(webId(), `link my WhatsApp +${known}`, address())).map((text) => blank(text, known));
    const forStranger = (await webSays(webId(), `link my WhatsApp +${stranger}`, address())).map((text) => blank(text, stranger));
    expect(forKnown).toEqual(forStranger);
    await eventually(async () => (codesTo(known).length === 1 ? true : undefined));
    expect(graph.to(stranger)).toEqual([]);

    // Three codes a day reach one number, whoever asks from wherever; the askers read the same reply throughout.
    for (let i = 0; i < 4; i++) {
      await later(known);
      expect((await webSays(webId(), `link my WhatsApp +${known}`, address())).map((text) => blank(text, known))).toEqual(forKnown);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(codesTo(known)).toHaveLength(3);
  });

  it('codes are limited per conversation and per client address', async () => {
    const numbers = [waNumber(), waNumber(), waNumber()];
    for (const number of numbers) await waSays(number, 'hi');
    // One conversation: one request a minute, known number or not.
    const visitor = webId();
    const from = address();
    await webSays(visitor, `link my WhatsApp +${numbers[0]}`, from);
    expect((await webSays(visitor, `link my WhatsApp +${waNumber()}`, from)).join(' ')).toMatch(/asked for a code just now/);
    // One address: LINK_CODES_PER_ADDRESS (2) codes a day sent to numbers, across new conversations.
    await webSays(webId(), `link my WhatsApp +${numbers[1]}`, from);
    await webSays(webId(), `link my WhatsApp +${numbers[2]}`, from);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(numbers.map((n) => codesTo(n).length)).toEqual([1, 1, 0]);
  });

  it('never logs a client address', async () => {
    const logs = t.logs.join('\n');
    expect(logs).not.toMatch(/198\.51\./);
  });

  describe('agents link only customers of their own queues', () => {
    async function customerInQueue(channel: 'web' | 'whatsapp'): Promise<{ customerId: string; userId: string }> {
      const userId = channel === 'web' ? webId() : waNumber();
      if (channel === 'web') await webSays(userId, 'talk to a person please', address());
      else await waSays(userId, 'talk to a person please');
      const customerId = (await customerOf(channel, userId))!;
      await eventually(async () => ((await sqlOf(t.app.store).query(
        'SELECT 1 FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE c.customer_id = $1', [customerId])).rowCount === 1) || undefined);
      return { customerId, userId };
    }
    const link = (token: string, body: unknown) => asAgent(t.url, token, '/agent/api/customers/link', body);

    it('another queue\'s customer is not found, by id or by number; an admin may link them', async () => {
      const anas = await customerInQueue('web');
      const bens = await customerInQueue('whatsapp');
      const nobody = await link(ANA.token, { customerId: anas.customerId, with: { customerId: randomUUID() } });
      expect(nobody.status).toBe(404);
      const byId = await link(ANA.token, { customerId: anas.customerId, with: { customerId: bens.customerId } });
      expect(byId).toEqual(nobody);
      const byNumber = await link(ANA.token, { customerId: anas.customerId, with: { channel: 'whatsapp', identity: `+${bens.userId}` } });
      expect(byNumber).toEqual(nobody);
      const theirs = await link(ANA.token, { customerId: bens.customerId, with: { channel: 'whatsapp', identity: `+${waNumber()}` } });
      expect(theirs).toEqual(nobody);
      expect(await customerOf('web', anas.userId)).not.toBe(await customerOf('whatsapp', bens.userId));

      const admin = await link(ADMIN_TOKEN, { customerId: anas.customerId, with: { customerId: bens.customerId } });
      expect(admin.status).toBe(200);
      expect(await customerOf('web', anas.userId)).toBe(await customerOf('whatsapp', bens.userId));
    });

    it('a number never seen is added on the agent\'s word, and admins see every link: who, when, how', async () => {
      const bens = await customerInQueue('whatsapp');
      const added = await link(BEN.token, { customerId: bens.customerId, with: { channel: 'whatsapp', identity: `+${waNumber()}` } });
      expect(added.status).toBe(200);
      expect(added.json.merged).toBe(false);

      expect((await fetch(`${t.url}/agent/api/customers/links`)).status).toBe(401);
      expect((await asAgent(t.url, BEN.token, `/agent/api/customers/links?customerId=${bens.customerId}`)).status).toBe(404);
      const listed = await asAgent(t.url, ADMIN_TOKEN, `/agent/api/customers/links?customerId=${bens.customerId}`);
      expect(listed.status).toBe(200);
      expect(listed.json.links).toEqual([
        { id: expect.any(String), customerId: bens.customerId, absorbedCustomerId: null, how: 'agent-word', actor: 'ben', channel: 'whatsapp', at: expect.any(String) },
      ]);
    });
  });
});
