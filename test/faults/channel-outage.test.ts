import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activity, postActivity } from '../channels/botframework/support.ts';
import { inbound, postSigned } from '../channels/whatsapp-cloud/fixtures.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { faultFlows } from './support.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * A channel's API that fails for a while, then recovers: a local Graph API (WhatsApp Cloud) and a local Bot Framework
 * channel service (serviceUrl) that answer 500, or take the request and leave it hanging until the connection is cut,
 * every other time. Replies are stored before they are sent, so they go out once the API is back: each once, in the
 * order they were written.
 */
class FlakyApi {
  /** Bodies the API took (answered 200), in order. */
  readonly accepted: any[] = [];
  failing = false;
  refused = 0;
  hung = 0;
  url = '';
  private server: Server | undefined;
  private readonly hanging = new Set<Socket>();
  private counter = 0;

  constructor(private readonly answer: (body: any, id: string) => unknown) {}

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        if (this.failing) {
          if ((this.refused + this.hung) % 2 === 0) {
            this.refused++;
            res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"failing on purpose","code":1}}');
          } else {
            // Never answered: the request hangs until the API recovers, and is then cut off, unanswered.
            this.hung++;
            this.hanging.add(req.socket);
          }
          return;
        }
        const body = JSON.parse(raw);
        this.accepted.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer(body, `ok-${++this.counter}`)));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  recover(): void {
    this.failing = false;
    for (const socket of this.hanging) socket.destroy();
    this.hanging.clear();
  }

  async close(): Promise<void> {
    this.recover();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const SECRET = 'app-secret-for-fault-tests';
const PHONE = '106540352242922';

describe('a channel API failing for a while', () => {
  const graph = new FlakyApi((body, id) => ({ messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.${id}` }] }));
  const connector = new FlakyApi((_body, id) => ({ id }));
  const prefix = freshPrefix();
  let t: TestApp;
  let database: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    await graph.start();
    await connector.start();
    // PostgreSQL rather than PGlite: it opens in a fraction of the time on a busy machine.
    database = await createTestDatabase();
    t = await startTestApp({
      DATABASE_URL: database.url, FLOWS_DIR: faultFlows, FLOWS_WATCH: 'false', KB_WATCH: 'false', HANDOFF_QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent',
      WHATSAPP_VERIFY_TOKEN: 'verify-token', WHATSAPP_APP_SECRET: SECRET, WHATSAPP_ACCESS_TOKEN: 'EAAG-token',
      WHATSAPP_GRAPH_URL: `${graph.url}/v21.0`, BOTFRAMEWORK_EMULATOR: 'true',
    });
  });
  afterAll(async () => {
    await t?.close();
    await graph.close();
    await connector.close();
    await dropPrefix(prefix);
    await database?.drop();
  });

  it('WhatsApp Cloud: replies go out once the Graph API answers again, in order, each once', async () => {
    const customers = ['491510000001', '491510000002', '491510000003'];
    const texts = (waId: string) => [1, 2, 3, 4].map((k) => `${waId} says ${k}`);
    graph.failing = true;
    for (const k of [0, 1, 2, 3]) {
      await Promise.all(customers.map(async (waId) => {
        const body = inbound('text-message', waId, `wamid.IN${waId}${k}${Date.now()}`, { text: { body: texts(waId)[k] } });
        expect((await postSigned(t.url, body, SECRET)).status).toBe(200);
      }));
    }
    // Deliveries were refused and left hanging, and none went through.
    await until(() => graph.hung, (n) => n >= 1, 'a delivery to hang');
    expect(graph.accepted).toEqual([]);
    graph.recover();

    const expected = customers.flatMap((waId) => texts(waId).map((text) => ({ to: waId, text: `got ${text}` })));
    await until(() => graph.accepted.length, (n) => n >= expected.length, 'every reply to reach the Graph API', { timeoutMs: 20_000 });
    for (const waId of customers) {
      expect(graph.accepted.filter((b) => b.to === waId).map((b) => b.text.body)).toEqual(texts(waId).map((text) => `got ${text}`));
    }
    expect(graph.refused).toBeGreaterThan(0);
    // Recorded as sent, with the id the Graph API gave, and nothing left to send.
    // (The Graph API has answered; the outbox records each answer right after.)
    const rows = await until(
      () => sqlOf(t.app.store).query<{ status: string; external_id: string | null }>(
        `SELECT m.status, m.external_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'whatsapp' AND m.direction = 'out'`,
      ),
      (result) => result.rows.every((r) => r.status !== 'pending'),
      'every reply to be recorded',
    );
    expect(rows.rows).toHaveLength(expected.length);
    expect(rows.rows.every((r) => r.status === 'sent' && r.external_id?.startsWith('wamid.ok-'))).toBe(true);
  });

  it('Bot Framework: replies go out once the serviceUrl answers again, in order, each once', async () => {
    const conversations = [randomUUID(), randomUUID(), randomUUID()].map((id) => `${id}|livechat`);
    const texts = (c: string) => [1, 2, 3, 4].map((k) => `${c.slice(0, 8)} says ${k}`);
    connector.failing = true;
    for (const k of [0, 1, 2, 3]) {
      await Promise.all(conversations.map(async (conversationId) => {
        const message = activity('message', { conversationId, id: randomUUID(), serviceUrl: connector.url, text: texts(conversationId)[k] });
        expect((await postActivity(t.url, message)).status).toBe(200);
      }));
    }
    await until(() => connector.hung, (n) => n >= 1, 'a delivery to hang');
    expect(connector.accepted).toEqual([]);
    connector.recover();

    await until(() => connector.accepted.length, (n) => n >= 12, 'every reply to reach the channel service', { timeoutMs: 20_000 });
    for (const conversationId of conversations) {
      const sent = connector.accepted.filter((a) => a.conversation?.id === conversationId && a.type === 'message').map((a) => a.text);
      expect(sent).toEqual(texts(conversationId).map((text) => `got ${text}`));
    }
    expect(connector.accepted).toHaveLength(12);
    expect(connector.refused).toBeGreaterThan(0);
  });
});
