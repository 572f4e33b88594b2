import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signBody } from '../../adapters/whatsapp-cloud/verify.ts';
import { activity } from '../channels/botframework/support.ts';
import { inbound } from '../channels/whatsapp-cloud/fixtures.ts';
import { faultFlows } from '../faults/support.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { badBody, bytes, FUZZ_SEED, int, pick, rng, type BadBody } from './generate.ts';

/**
 * Malformed, truncated, oversized, binary and wrongly typed payloads at every webhook, signed where the channel
 * signs: never a 5xx, a refused request changes no row, and the server still answers afterwards.
 */
const WA_SECRET = 'whatsapp-secret-for-fuzz';
const SLACK_SECRET = 'slack-signing-secret-for-fuzz';
const CASES = 80;
// Inbound messages only: a reply is written by the turn of a message accepted earlier, never by the request itself.
const TABLES = ['customers', 'identities', 'conversations', 'handoffs', 'channel_references'];

/** Answers every Slack Web API call with ok, as the desk's Web API stand-in. */
async function slackApi(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ts: '1.1', channel: 'C1' })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/` };
}

function slackHeaders(body: Buffer): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
}

describe(`bad input at every webhook (seed ${FUZZ_SEED})`, () => {
  let t: TestApp;
  let database: { url: string; drop(): Promise<void> };
  let admin: pg.Client;
  let slack: { server: Server; url: string };
  const prefix = freshPrefix();

  beforeAll(async () => {
    database = await createTestDatabase();
    slack = await slackApi();
    t = await startTestApp({
      DATABASE_URL: database.url, FLOWS_DIR: faultFlows, FLOWS_WATCH: 'false', KB_WATCH: 'false', HANDOFF_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn',
      WHATSAPP_VERIFY_TOKEN: 'verify-token', WHATSAPP_APP_SECRET: WA_SECRET, WHATSAPP_ACCESS_TOKEN: 'EAAG-token', WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9/v21.0',
      SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_BOT_TOKEN: 'xoxb-fuzz', SLACK_AGENT_CHANNEL: 'C0AGENTS', SLACK_API_URL: slack.url,
      BOTFRAMEWORK_EMULATOR: 'true',
    });
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
    await new Promise((resolve) => slack?.server.close(resolve));
    await dropPrefix(prefix);
    await database?.drop();
  });

  /** The row counts once no accepted message waits for its turn and two reads agree. */
  async function settled(): Promise<Record<string, number>> {
    let last = '';
    const counts = await until(
      async () => ({ counts: await rowCounts(), waiting: (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM messages WHERE direction = 'in' AND status = 'received'`)).rows[0]!.n }),
      (read) => {
        const same = JSON.stringify(read.counts) === last;
        last = JSON.stringify(read.counts);
        return read.waiting === 0 && same;
      },
      'accepted messages to be answered',
    );
    return counts.counts;
  }

  async function rowCounts(): Promise<Record<string, number>> {
    const sql = `SELECT ${TABLES.map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`).join(', ')},
      (SELECT count(*)::int FROM messages WHERE direction = 'in') AS inbound_messages`;
    return (await admin.query<Record<string, number>>(sql)).rows[0]!;
  }

  /**
   * Sends each bad body and checks: no 5xx; a body no reading of which is valid gets a 4xx; a 4xx changed no row.
   * Returns the statuses, for the test's own checks.
   */
  async function fuzz(
    name: string, seedOffset: number, valid: () => unknown, send: (bad: BadBody) => Promise<Response>, { mutants = true } = {},
  ): Promise<number[]> {
    const r = rng(FUZZ_SEED + seedOffset);
    const statuses: number[] = [];
    for (let i = 0; i < CASES; i++) {
      const bad = badBody(r, valid());
      if (!mutants && !bad.mustRefuse) continue;
      // Counted once the turns of messages accepted before have finished (WhatsApp answers once a message is stored).
      const before = await settled();
      const where = `${name} case ${i} (${bad.kind}; PARLEY_FUZZ_SEED=${FUZZ_SEED})`;
      const response = await send(bad);
      const text = await response.text();
      statuses.push(response.status);
      const serverSaid = () => t.logs.filter((line) => /"level":50/.test(line)).slice(-1).join('').slice(0, 1500);
      expect(response.status, `${where} answered ${response.status}: ${text.slice(0, 300)}\nserver log: ${serverSaid()}`).toBeLessThan(500);
      if (bad.mustRefuse) expect(response.status, `${where} was accepted: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      if (response.status >= 400) {
        const after = await rowCounts();
        const newest = async () => JSON.stringify((await admin.query('SELECT id, direction, status, text, in_reply_to, created_at FROM messages ORDER BY id DESC LIMIT 2')).rows);
        expect(after, `${where} was refused but changed rows; newest messages: ${JSON.stringify(after) === JSON.stringify(before) ? '' : await newest()}`).toEqual(before);
      }
    }
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status, `${name}: /healthz after the fuzz`).toBe(200);
    return statuses;
  }

  const post = (path: string, bad: BadBody, headers: Record<string, string> = {}) =>
    fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { ...(bad.contentType ? { 'content-type': bad.contentType } : {}), ...headers },
      body: new Uint8Array(bad.body),
    });

  it('web chat: POST /api/webchat/messages', async () => {
    const statuses = await fuzz('webchat', 1, () => ({ conversationId: `fuzz-${randomUUID()}`, messageId: randomUUID(), text: 'hello' }), (bad) => post('/api/webchat/messages', bad));
    expect(statuses.filter((s) => s >= 400).length).toBeGreaterThan(CASES / 2);
  });

  it('WhatsApp Cloud: validly signed bad bodies are refused with a 4xx and store nothing', async () => {
    let n = 0;
    const statuses = await fuzz('whatsapp signed', 2, () => inbound('text-message', `4917${String(++n).padStart(8, '0')}`, `wamid.FUZZ${randomUUID()}`),
      (bad) => post('/webhooks/whatsapp', bad, { 'x-hub-signature-256': `sha256=${createHmac('sha256', WA_SECRET).update(bad.body).digest('hex')}` }));
    expect(statuses.filter((s) => s >= 400).length).toBeGreaterThan(CASES / 2);
  });

  it('WhatsApp Cloud: any body without a valid signature is refused (401)', async () => {
    const r = rng(FUZZ_SEED + 3);
    const signatures = [
      () => undefined, () => '', () => 'sha256=', () => `sha256=${'0'.repeat(64)}`, () => `sha1=${bytes(r, 20).toString('hex')}`,
      () => `sha256=${bytes(r, 32).toString('hex')}`, () => bytes(r, 40).toString('latin1').replace(/[^\x20-\x7e]/g, 'x'),
      () => signBody('{}', WA_SECRET), () => `sha256=${'z'.repeat(64)}`,
    ];
    const statuses = await fuzz('whatsapp unsigned', 4, () => inbound('text-message', '491700000001', `wamid.FUZZ${randomUUID()}`), (bad) => {
      const signature = pick(r, signatures)();
      return post('/webhooks/whatsapp', bad, signature === undefined ? {} : { 'x-hub-signature-256': signature });
    });
    // 413 for a body over the limit is checked before the signature; everything else is 401.
    expect(statuses.every((s) => s === 401 || s === 413)).toBe(true);
  });

  it('Bot Framework (Emulator mode): POST /api/messages', async () => {
    await fuzz('botframework', 5, () => activity('message', { conversationId: `${randomUUID()}|livechat`, id: randomUUID(), serviceUrl: 'http://127.0.0.1:9' }), (bad) => post('/api/messages', bad));
  });

  it('Slack: validly signed bad bodies at /slack/events and /slack/interactivity', async () => {
    const event = () => ({ type: 'event_callback', team_id: 'T1', api_app_id: 'A1', event_id: `Ev${randomUUID()}`, event_time: 1, event: { type: 'message', channel: 'C0AGENTS', user: 'U1', text: 'hi', ts: '1.000001' } });
    await fuzz('slack events', 6, event, (bad) => post('/slack/events', bad, slackHeaders(bad.body)));
    await fuzz('slack interactivity', 7, event, (bad) => post('/slack/interactivity', bad, slackHeaders(bad.body)), { mutants: false });
  });

  it('web chat WebSocket: every bad frame gets an error frame, stores nothing, and the socket keeps working', async () => {
    const r = rng(FUZZ_SEED + 8);
    const conversationId = `fuzz-ws-${randomUUID()}`;
    const socket = new WebSocket(`${t.url.replace('http', 'ws')}/api/webchat/socket?conversationId=${conversationId}`);
    const frames: any[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
    await until(() => frames.length, (n) => n >= 1, 'the history frame');
    const before = await rowCounts();
    const valid = { type: 'message', messageId: 'm1', text: 'hello' };
    for (let i = 0; i < CASES; i++) {
      const bad = badBody(r, valid);
      // A frame over 64 KiB ends the socket (1009); that is checked once, below.
      if (bad.kind === 'oversized') continue;
      if (!bad.mustRefuse) {
        // A mutant of a valid frame: send it as text, and it must be refused when it is not a valid frame.
        const mutant = JSON.parse(bad.body.toString('utf8'));
        if (mutant?.type === 'message' && typeof mutant.messageId === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(mutant.messageId)) continue;
      }
      const errors = frames.filter((f) => f.type === 'error').length;
      // Bytes go as binary frames: a text frame that is not UTF-8 ends the socket (1007), as WebSocket requires.
      socket.send(bad.body, { binary: bad.kind.startsWith('binary') });
      await until(() => frames.filter((f) => f.type === 'error').length, (n) => n > errors, `an error frame for ws case ${i} (${bad.kind}; PARLEY_FUZZ_SEED=${FUZZ_SEED})`);
    }
    expect(await rowCounts()).toEqual(before);
    socket.send(JSON.stringify(valid));
    await until(() => frames.some((f) => f.type === 'ack' && f.messageId === 'm1'), Boolean, 'the ack of a good frame after the bad ones');

    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send(Buffer.alloc(int(r, 70_000, 200_000), 'x'));
    expect(await closed).toBe(1009);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
