import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppWebConnector } from '../../../adapters/whatsapp-web/index.ts';
import { createLogger } from '../../../src/infra/logger.ts';
import { dropPrefix, freshPrefix } from '../../handoff/support.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';
import { until } from '../../support/poll.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { incoming, Phone } from './stand-in-client.ts';
import { ADMIN, ADMIN_TOKEN, AGENT, appEnv, chat, fast, get, post, terminal, type TestDatabase } from './support.ts';
import { sqlOf } from '../../support/sql.ts';

/**
 * The WhatsApp Web channel end to end: a real app on the real Redis and PostgreSQL, with whatsapp-web.js's Client
 * replaced by a stand-in at its event and method interface (the browser is the only thing missing).
 */
const CLIENT_ID = `t${process.pid}x${Date.now().toString(36)}`;
const env = (database: TestDatabase, prefix: string) => appEnv(database, prefix, CLIENT_ID);

async function messagesOf(t: TestApp, chatId: string) {
  const result = await sqlOf(t.app.store).query<{ id: string; direction: string; status: string; text: string | null; external_id: string | null; attempts: number; last_error: string | null; delivery_status: string | null; attachments: unknown[] }>(
    `SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'whatsapp-web' AND c.external_id = $1 ORDER BY m.id`,
    [`${CLIENT_ID}:${chatId}`],
  );
  return result.rows;
}

describe('WhatsApp Web (whatsapp-web.js)', () => {
  const phone = new Phone();
  const screen = terminal();
  let database: TestDatabase;
  let prefix: string;
  let t: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    prefix = freshPrefix();
    t = await startTestApp(env(database, prefix), { whatsappWeb: fast(phone, screen.output) });
  });
  afterAll(async () => {
    await t?.close();
    await dropPrefix(prefix);
    await dropPrefix(`parley:whatsapp-web:${CLIENT_ID}`);
    await database?.drop();
  });

  it('prints the login QR code in the terminal, shows it to admins only, and says who is connected once linked', async () => {
    await until(screen.text, (text) => text.includes('Link a device'), 'the QR code in the terminal');
    expect(screen.text()).toMatch(/[▀▄█]{10}/);
    expect(phone.settings[0]).toMatchObject({ clientId: CLIENT_ID, chromiumPath: process.execPath, sessionDir: `${t.dataDir}/whatsapp-web` });

    const page = await get(`${t.url}/admin/whatsapp-web`);
    expect([page.status, page.location]).toEqual([303, '/agent/login']);
    expect((await get(`${t.url}/admin/whatsapp-web/status`)).status).toBe(401);
    expect((await get(`${t.url}/admin/whatsapp-web/status`, AGENT.token)).status).toBe(401);
    expect((await get(`${t.url}/admin/whatsapp-web/status`, 'wrong-token-0123456789')).status).toBe(401);

    const status = await get(`${t.url}/admin/whatsapp-web/status`, ADMIN_TOKEN);
    expect(status.body.whatsappWeb).toMatchObject({ clientId: CLIENT_ID, state: 'qr', holder: 'this server' });
    expect(status.body.whatsappWeb.qrImage).toMatch(/^data:image\/png;base64,/);
    const shown = await get(`${t.url}/admin/whatsapp-web`, ADMIN.token);
    expect(shown.status).toBe(200);
    expect(shown.body).toContain('<svg');
    expect(shown.body).toContain('Link a device');

    phone.scan();
    const ready = await until(() => get(`${t.url}/admin/whatsapp-web/status`, ADMIN_TOKEN), (r) => r.body.whatsappWeb.state === 'ready', 'the connection');
    expect(ready.body.whatsappWeb.connectedAs).toBe(phone.number);
    expect(ready.body.whatsappWeb.qrImage).toBeUndefined();
    expect((await get(`${t.url}/admin/whatsapp-web`, ADMIN_TOKEN)).body).toContain(`Connected as +${phone.number}`);
    expect((await get(`${t.url}/healthz`)).body.channels).toContain('whatsapp-web');
  });

  it('answers a customer through sendMessage, buttons as a numbered list, and a duplicate event once', async () => {
    const customer = chat();
    const hello = incoming(customer, 'hi', { _data: { notifyName: 'Maria' } });
    phone.current!.deliver(hello);
    const replies = await until(() => phone.sentTo(customer), (sent) => sent.length >= 2, 'the greeting');
    expect(replies[0]).toMatch(/welcome to Brightwave/);
    expect(replies[1]).toMatch(/What can I help you with\?.*\n\n1\. Order status\n2\. Returns\n3\. Hours & contact\n4\. /);

    phone.current!.deliver(hello);
    phone.current!.deliver(incoming(customer, '2'));
    const rows = await until(
      () => messagesOf(t, customer),
      (all) => all.some((m) => m.text === '2') && all.filter((m) => m.direction === 'out').length > 2 && all.every((m) => m.direction === 'in' || m.status === 'sent'),
      'the answer to "2", sent',
    );
    expect(rows.filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(['hi', '2']);
    const answered = rows.filter((m) => m.direction === 'out');
    // Once each, in order (the stored text is before rendering: the numbered list is added on the way out).
    const sent = phone.sentTo(customer);
    expect(sent).toHaveLength(answered.length);
    answered.forEach((m, i) => expect(sent[i]!.startsWith(m.text!)).toBe(true));
    expect(answered.every((m) => m.external_id?.startsWith(`true_${customer}_`))).toBe(true);
  });

  it('ignores groups, statuses and broadcasts, and describes media by reference without downloading it', async () => {
    const group = '120363025246125486@g.us';
    phone.current!.deliver(incoming(group, 'hi all', { author: '4917100000001@c.us' }));
    phone.current!.deliver(incoming('status@broadcast', 'my holiday', { isStatus: true }));
    const customer = chat();
    const photo = incoming(customer, 'the box was crushed', { type: 'image', hasMedia: true, _data: { mimetype: 'image/jpeg' } });
    phone.current!.deliver(photo);
    await until(() => phone.sentTo(customer), (sent) => sent.length >= 1, 'an answer to the photo');
    const [inbound] = await messagesOf(t, customer);
    expect(inbound!.text).toBe('[image] the box was crushed');
    expect(inbound!.attachments).toEqual([{ kind: 'image', url: `whatsapp-web-media:${photo.id._serialized}`, mimeType: 'image/jpeg', caption: 'the box was crushed' }]);
    const others = await sqlOf(t.app.store).query(`SELECT 1 FROM conversations WHERE channel = 'whatsapp-web' AND (external_id LIKE '%@g.us' OR external_id LIKE '%broadcast')`);
    expect(others.rowCount).toBe(0);
    expect(phone.sentTo(group)).toEqual([]);
  });

  it('retries a failing sendMessage with backoff and delivers every reply once, in order; acks become delivery statuses', { timeout: 90_000 }, async () => {
    const customer = chat();
    phone.failures = 2;
    phone.current!.deliver(incoming(customer, 'hello'));
    const sent = await until(() => phone.sentTo(customer), (texts) => texts.length >= 2, 'the greeting after two failures', { timeoutMs: 60_000 });
    expect(sent[0]).toMatch(/welcome to Brightwave/);
    expect(sent[1]).toMatch(/What can I help you with\?/);
    const out = await until(
      async () => (await messagesOf(t, customer)).filter((m) => m.direction === 'out'),
      (rows) => rows.every((m) => m.status === 'sent'),
      'both replies recorded as sent',
    );
    expect(out.map((m) => [m.status, m.attempts])).toEqual([['sent', 2], ['sent', 0]]);

    const [first, second] = phone.sent.filter((m) => m.chatId === customer);
    phone.current!.ack(first!.id, 2);
    phone.current!.ack(first!.id, 3);
    phone.current!.ack(second!.id, -1);
    const acked = await until(
      async () => (await messagesOf(t, customer)).filter((m) => m.direction === 'out'),
      (rows) => rows[0]!.delivery_status === 'read' && rows[1]!.delivery_status === 'failed',
      'the acks',
    );
    expect(acked[1]).toMatchObject({ status: 'failed', last_error: 'WhatsApp reported an error delivering the message' });
  });

  it('reconnects after a disconnect, with the kept session (no new QR code)', async () => {
    const before = phone.clients.length;
    const dropped = phone.current!;
    dropped.disconnect('NAVIGATION');
    await until(() => phone.clients.length, (n) => n > before, 'a new client');
    await until(() => get(`${t.url}/admin/whatsapp-web/status`, ADMIN_TOKEN), (r) => r.body.whatsappWeb.state === 'ready', 'the reconnection');
    expect(dropped.destroyed).toBe(true);
    const customer = chat();
    phone.current!.deliver(incoming(customer, 'hi'));
    await until(() => phone.sentTo(customer), (sent) => sent.length >= 2, 'an answer after reconnecting');
    expect(screen.text().match(/Link a device/g)).toHaveLength(1);
  });

  it("keeps an agent's reply waiting outside the window, shows why in the console, and sends it when the customer writes", async () => {
    const customer = chat();
    phone.current!.deliver(incoming(customer, 'I want to talk to a person'));
    const listed = await until(
      () => get(`${t.url}/agent/api/handoffs`, AGENT.token),
      (r) => r.body.handoffs?.some((h: { channel: string; customerName: string | null }) => h.channel === 'whatsapp-web'),
      'the handoff in the console',
    );
    const handoff = listed.body.handoffs.find((h: { channel: string }) => h.channel === 'whatsapp-web');
    expect((await post(`${t.url}/agent/api/handoffs/${handoff.id}/claim`, AGENT.token, {})).status).toBe(200);

    const reply = await post(`${t.url}/agent/api/handoffs/${handoff.id}/replies`, AGENT.token, { messageId: 'r1', text: 'Hi, Ana here.' });
    expect(reply.status).toBe(200);
    await until(() => phone.sentTo(customer), (sent) => sent.includes('Hi, Ana here.'), "the agent's reply");
    phone.current!.ack(phone.sent.find((m) => m.text === 'Hi, Ana here.')!.id, 3);
    const read = await until(
      () => get(`${t.url}/agent/api/handoffs/${handoff.id}/delivery`, AGENT.token),
      (r) => Object.values(r.body.delivery).some((d: any) => d.state === 'read'),
      'the read receipt in the console',
    );
    expect(Object.values(read.body.delivery).every((d: any) => ['sent', 'read'].includes(d.state))).toBe(true);

    // A day later the customer has not written again: the agent's next reply waits.
    const conversation = (await t.app.store.findConversation('whatsapp-web', `${CLIENT_ID}:${customer}`))!;
    await sqlOf(t.app.store).query(`UPDATE messages SET created_at = now() - interval '25 hours' WHERE conversation_id = $1 AND direction = 'in'`, [conversation.id]);
    await post(`${t.url}/agent/api/handoffs/${handoff.id}/replies`, AGENT.token, { messageId: 'r2', text: 'Your refund went out today.' });
    const detail = await until(
      () => get(`${t.url}/agent/api/handoffs/${handoff.id}`, AGENT.token),
      (r) => r.body.transcript?.some((l: any) => l.text === 'Your refund went out today.' && l.delivery?.state === 'waiting'),
      'the waiting reply in the console',
    );
    const waiting = detail.body.transcript.find((l: any) => l.text === 'Your refund went out today.');
    expect(waiting.delivery.reason).toMatch(/outside the 24-hour window .* sent when the customer writes again/);
    expect(detail.body.transcript.find((l: any) => l.text === 'Hi, Ana here.').delivery).toEqual({ state: 'read' });
    expect(detail.body.transcript.filter((l: any) => l.kind === 'customer').every((l: any) => l.delivery === undefined)).toBe(true);
    expect(phone.sentTo(customer)).not.toContain('Your refund went out today.');

    phone.current!.deliver(incoming(customer, 'thanks, any news?'));
    await until(() => phone.sentTo(customer), (sent) => sent.includes('Your refund went out today.'), 'the waiting reply');
    const after = await get(`${t.url}/agent/api/handoffs/${handoff.id}/delivery`, AGENT.token);
    expect(Object.values(after.body.delivery).some((d: any) => d.state === 'waiting')).toBe(false);

    // A reply WhatsApp Web never takes ends failed, with the reason, in front of the agent.
    phone.failures = 3;
    await post(`${t.url}/agent/api/handoffs/${handoff.id}/replies`, AGENT.token, { messageId: 'r3', text: 'One more thing.' });
    const failed = await until(
      () => get(`${t.url}/agent/api/handoffs/${handoff.id}`, AGENT.token),
      (r) => r.body.transcript?.some((l: any) => l.text === 'One more thing.' && l.delivery?.state === 'failed'),
      'the failed reply in the console',
      { timeoutMs: 15_000 },
    );
    expect(failed.body.transcript.find((l: any) => l.text === 'One more thing.').delivery.reason).toMatch(/Evaluation failed/);
  });

  it('takes the number over when a dead holder\'s lock lapses, and lets go at once when another server has it', async () => {
    const clientId = `${CLIENT_ID}-lapse`;
    const lockKey = `parley:whatsapp-web:${clientId}:lock`;
    const redis = t.app.redis.client;
    // A server that died holding the number: its lock is still there, and nobody renews it.
    await redis.set(lockKey, 'a-server-that-died', 'PX', 800);
    const phone2 = new Phone();
    phone2.linked = true;
    const connector = new WhatsAppWebConnector({
      settings: { clientId, sessionDir: t.dataDir, chromiumPath: process.execPath }, createClient: phone2.factory, redis,
      recordAck: async () => true, logger: createLogger({ level: 'silent', redact: true }), groups: false,
      output: terminal().output, lockTtlMs: 600, standbyPollMs: 50, backoffMs: () => 50,
    });
    connector.start(t.app.inbox);
    try {
      expect((await connector.status()).state).toBe('standby');
      await until(() => connector.status(), (status) => status.state === 'ready' && status.holder === 'this server', 'the takeover after the lapse');
      expect(phone2.clients).toHaveLength(1);
      // Another server took the lock (this one stalled past its lifetime): the browser here must stop.
      await redis.set(lockKey, 'another-server', 'PX', 60_000);
      await until(() => phone2.current!.destroyed, (destroyed) => destroyed, 'the client closed');
      await until(() => connector.status(), (status) => status.holder !== 'this server', 'the connector standing by');
      await expect(connector.sendText('4917000000000@c.us', 'hello')).rejects.toThrow();
    } finally {
      await connector.stop();
      await redis.del(lockKey, `parley:whatsapp-web:${clientId}:status`);
    }
  });

  it('runs one connection per number: a second server stands by and takes over when the first one stops', async () => {
    const phone2 = new Phone();
    phone2.linked = true;
    const second = await startTestApp(env(database, prefix), { whatsappWeb: fast(phone2, terminal().output) });
    try {
      const standby = await until(() => get(`${second.url}/admin/whatsapp-web/status`, ADMIN_TOKEN), (r) => r.body.whatsappWeb.holder === 'another server', 'the standby');
      expect(standby.body.whatsappWeb).toMatchObject({ state: 'ready', connectedAs: phone.number });
      // Several lock periods pass, and the second server never starts a browser of its own.
      const renewedFor = Date.now() + 2000;
      await until(() => Date.now(), (now) => now > renewedFor, 'more than one lock lifetime', { timeoutMs: 5000, intervalMs: 200 });
      expect(phone2.clients).toHaveLength(0);

      // A reply written on the standby server (an agent's, say) goes out through the server that holds the number.
      const customer0 = chat();
      phone.current!.deliver(incoming(customer0, 'hi'));
      await until(() => phone.sentTo(customer0), (sent) => sent.length >= 2, 'the greeting');
      const conversation = (await second.app.store.findConversation('whatsapp-web', `${CLIENT_ID}:${customer0}`))!;
      const relayed = await second.app.store.insertOutbound(conversation.id, { text: 'Written on the other server.' });
      await second.app.outbox.dispatch(conversation.id, conversation.address, [relayed]);
      expect(phone.sentTo(customer0).at(-1)).toBe('Written on the other server.');
      const [row] = (await messagesOf(second, customer0)).filter((m) => m.id === relayed.id);
      expect(row).toMatchObject({ status: 'sent', external_id: phone.sent.at(-1)!.id });

      await t.close();
      await until(() => get(`${second.url}/admin/whatsapp-web/status`, ADMIN_TOKEN), (r) => r.body.whatsappWeb.state === 'ready' && r.body.whatsappWeb.holder === 'this server', 'the takeover');
      expect(phone2.clients).toHaveLength(1);
      const customer = chat();
      phone2.current!.deliver(incoming(customer, 'hi'));
      await until(() => phone2.sentTo(customer), (sent) => sent.length >= 2, 'an answer from the second server');
    } finally {
      await second.close();
    }
  });
});
