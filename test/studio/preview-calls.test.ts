import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/handoff/agents.ts';
import { loadCallEndpoints } from '../../src/integrations/call-endpoints.ts';
import { createHttpCaller } from '../../src/integrations/http-call.ts';
import { MAX_RECORDED_BYTES, RecordedResponses } from '../../src/integrations/recorded-responses.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { demoFlowsDir, say, startTestApp, type TestApp } from '../support/app.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * Issue 16: "a preview touches nothing real: `call` steps get the endpoint's recorded or editor-written sample response
 * unless the editor allows a live call to an endpoint marked safe". The business's order API is a local HTTP server
 * that counts its requests; the customer's conversation goes through the web chat, the editor's through the studio API.
 */
const EVE = { id: 'eve', token: 'eve-token-0123456789abcdef' };
const AGENTS = JSON.stringify([{ id: EVE.id, name: 'Eve', editor: true, token: hashToken(EVE.token) }]);

const hits: string[] = [];
let orderStatus = 'shipped';
const shop: Server = createServer((request, response) => {
  hits.push(request.url ?? '');
  const number = decodeURIComponent((request.url ?? '').split('/').pop() ?? '');
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({
    number, status: orderStatus, carrier: 'DHL', eta: '2026-12-09', delivered_on: '2026-12-05',
    tracking_url: 'https://track.example/1Z999', customer: { email: 'jane.doe@example.com', phone: '+49 151 23456789' },
  }));
});

let t: TestApp;
let prefix: string;
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  const address = shop.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const CALL_ENDPOINTS = JSON.stringify({
    order_lookup: { url: `${base}/orders/{order}`, safe: true },
    order_archive: { url: `${base}/archive/{order}` },
  });
  prefix = freshPrefix();
  t = await startTestApp({ AGENTS, CALL_ENDPOINTS, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await dropPrefix(prefix);
  await new Promise((resolve) => shop.close(resolve));
});

async function api(method: string, pathname: string, body?: unknown) {
  const response = await fetch(`${t.url}${pathname}`, {
    method, headers: { authorization: `Bearer ${EVE.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json().catch(() => null)) as any };
}

/** An editor's preview of the order flow for BW-12345, with the options given on the turn that calls. */
async function previewOrder(options: { live?: boolean; samples?: Record<string, unknown> } = {}) {
  const conversationId = `p-${randomUUID().slice(0, 8)}`;
  await api('POST', '/studio/api/preview', { conversationId, text: 'where is my order' });
  return (await api('POST', '/studio/api/preview', { conversationId, text: 'BW-12345', ...options })).json;
}

async function recordedRow(): Promise<{ data: any; recorded_at: Date } | undefined> {
  for (let tries = 0; tries < 50; tries++) {
    const row = (await sqlOf(t.app.store).query<{ data: any; recorded_at: Date }>("SELECT data, recorded_at FROM recorded_call_responses WHERE endpoint = 'order_lookup'")).rows[0];
    if (row) return row;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

describe('call steps in the studio preview', () => {
  it('get the endpoint\'s latest real answer, masked, when the editor wrote no sample; the API is not called', { timeout: 120_000 }, async () => {
    // Before any customer's call there is nothing recorded: the call fails as not configured, without a request.
    expect((await previewOrder()).calls).toEqual([{ endpoint: 'order_lookup', params: { order: 'BW-12345' }, sample: false }]);
    expect(hits).toEqual([]);

    const customer = randomUUID();
    await say(t.url, customer, 'm1', { text: 'where is my order' });
    const answered = await say(t.url, customer, 'm2', { text: 'BW-12345' });
    expect(answered.replies[0]!.text).toMatch(/^Good news: order BW-12345 is on its way with DHL/);
    expect(hits).toEqual(['/orders/BW-12345']);

    const row = await recordedRow();
    expect(row?.data).toMatchObject({ number: 'BW-12345', status: 'shipped', customer: { email: '[email]', phone: '[phone]' } });
    expect(JSON.stringify(row?.data)).not.toMatch(/jane|23456789/);

    const preview = await previewOrder();
    expect(preview.replies[0].text).toMatch(/^Good news: order BW-12345 is on its way with DHL/);
    expect(preview.calls).toEqual([{ endpoint: 'order_lookup', params: { order: 'BW-12345' }, sample: false, recordedAt: new Date(row!.recorded_at).toISOString() }]);
    expect(hits).toHaveLength(1);

    // The conversation tests are no preview: they get the demo order API, as `parley flows test` does, not the record.
    const tests = await api('POST', '/studio/api/tests', { path: 'flows/order-status.test.yaml' });
    expect(tests.json[0].tests.length).toBeGreaterThan(2);
    expect(tests.json[0].tests.filter((test: { failure?: unknown }) => test.failure)).toEqual([]);
    expect(hits).toHaveLength(1);

    // The editor's own sample still comes first.
    const sampled = await previewOrder({ samples: { order_lookup: { status: 'processing', eta: '2026-12-10' } } });
    expect(sampled.calls).toEqual([{ endpoint: 'order_lookup', params: { order: 'BW-12345' }, sample: true }]);
    expect(sampled.replies[0].text).toMatch(/is being packed/);
    expect(hits).toHaveLength(1);
  });

  it('call an endpoint marked safe for real only when the editor allows live calls, and never one not marked safe', { timeout: 120_000 }, async () => {
    const before = hits.length;
    orderStatus = 'delivered';
    const live = await previewOrder({ live: true });
    expect(hits.slice(before)).toEqual(['/orders/BW-12345']);
    expect(live.calls).toEqual([{ endpoint: 'order_lookup', params: { order: 'BW-12345' }, sample: false, live: true }]);
    expect(live.replies[0].text).toMatch(/^Order BW-12345 was delivered/);
    // A preview's live answer is not what customers got: the recorded one stays.
    expect((await recordedRow())?.data.status).toBe('shipped');
    // Without the editor's leave, the safe endpoint is not called.
    expect((await previewOrder()).calls[0]).not.toHaveProperty('live');
    expect(hits.length).toBe(before + 1);

    // A draft whose call step uses the endpoint not marked safe: live calls allowed, and still no request reaches it.
    const flow = await api('GET', '/studio/api/files/flows/order-status.yaml');
    const drafted = readFileSync(path.join(demoFlowsDir, 'order-status.yaml'), 'utf8').replace('call: order_lookup', 'call: order_archive');
    expect((await api('PUT', '/studio/api/files/flows/order-status.yaml', { content: drafted, baseVersion: flow.json.version })).status).toBe(200);
    const refused = await previewOrder({ live: true });
    expect(refused.calls).toEqual([{ endpoint: 'order_archive', params: { order: 'BW-12345' }, sample: false }]);
    expect(refused.replies[0].text).toMatch(/can't reach our order system/);
    expect(hits.filter((hit) => hit.startsWith('/archive'))).toEqual([]);
  });

  it('keep nothing of an endpoint configured with "record": false', async () => {
    const endpoints = loadCallEndpoints({ CALL_ENDPOINTS: JSON.stringify({
      customer_profile: { url: `${base}/profiles/{id}`, safe: true, record: false },
      stock_level: { url: `${base}/stock/{id}` },
    }) }, process.cwd())!;
    expect(endpoints.customer_profile).toMatchObject({ safe: true, record: false });
    expect(endpoints.stock_level).not.toHaveProperty('safe');
    const recorded = new RecordedResponses(sqlOf(t.app.store));
    const call = recorded.recording(createHttpCaller({ endpoints: () => endpoints }), (name) => endpoints[name]?.record !== false);
    for (const endpoint of ['customer_profile', 'stock_level']) {
      expect(await call({ kind: 'call', endpoint, params: { id: 'C-1' }, timeoutMs: 2_000 })).toMatchObject({ ok: true });
    }
    await recorded.settled();
    expect(await recorded.get('customer_profile')).toBeUndefined();
    expect((await recorded.get('stock_level'))?.data).toMatchObject({ number: 'C-1' });
  });

  it('keep no answer larger than the cap', async () => {
    const recorded = new RecordedResponses(sqlOf(t.app.store));
    expect(await recorded.record('big_report', { text: 'x'.repeat(MAX_RECORDED_BYTES) })).toBe(false);
    expect(await recorded.get('big_report')).toBeUndefined();
    expect(await recorded.record('small_report', { text: 'call me on +49 151 23456789' })).toBe(true);
    expect((await recorded.get('small_report'))?.data).toEqual({ text: 'call me on [phone]' });
  });
});

describe('recorded answers, as editors list and clear them in the studio', () => {
  it('each endpoint\'s recorded answer with when, its size and the call steps that use it; one cleared, then all; customers record again', { timeout: 120_000 }, async () => {
    // The order flow as published again (its draft above calls order_archive): its call step uses order_lookup.
    const flow = await api('GET', '/studio/api/files/flows/order-status.yaml');
    expect((await api('PUT', '/studio/api/files/flows/order-status.yaml', { content: readFileSync(path.join(demoFlowsDir, 'order-status.yaml'), 'utf8'), baseVersion: flow.json.version })).status).toBe(200);
    const row = (await recordedRow())!;
    const listed = await api('GET', '/studio/api/recorded');
    expect(listed.status).toBe(200);
    expect(listed.json.map((entry: { endpoint: string }) => entry.endpoint)).toEqual(['order_lookup', 'small_report', 'stock_level']);
    expect(listed.json[0]).toEqual({
      endpoint: 'order_lookup',
      steps: [{ flow: 'order_status', step: 'lookup', file: 'flows/order-status.yaml' }],
      recorded: { at: new Date(row.recorded_at).toISOString(), bytes: Buffer.byteLength(JSON.stringify(row.data)), data: row.data },
    });
    expect(JSON.stringify(listed.json)).not.toMatch(/jane|23456789/);
    expect(listed.json[2]).toMatchObject({ endpoint: 'stock_level', steps: [], recorded: { bytes: expect.any(Number) } });

    // Only editors, and only from the studio's own pages.
    expect((await fetch(`${t.url}/studio/api/recorded`)).status).toBe(401);
    expect((await fetch(`${t.url}/studio/api/recorded/order_lookup`, { method: 'DELETE' })).status).toBe(401);
    const login = await fetch(`${t.url}/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: EVE.token }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const crossSite = await fetch(`${t.url}/studio/api/recorded`, { method: 'DELETE', headers: { cookie, 'sec-fetch-site': 'same-site' } });
    expect(crossSite.status).toBe(403);
    expect((await api('GET', '/studio/api/recorded')).json).toHaveLength(3);
    expect((await api('DELETE', '/studio/api/recorded/order%2F..')).status).toBe(400);

    // One endpoint: its call step now gets nothing recorded in the preview.
    const own = await fetch(`${t.url}/studio/api/recorded/order_lookup`, { method: 'DELETE', headers: { cookie, 'sec-fetch-site': 'same-origin' } });
    expect(await own.json()).toEqual({ cleared: 1 });
    expect((await api('GET', '/studio/api/recorded')).json[0]).toMatchObject({ endpoint: 'order_lookup', recorded: null, steps: [{ flow: 'order_status' }] });
    expect((await previewOrder()).calls).toEqual([{ endpoint: 'order_lookup', params: { order: 'BW-12345' }, sample: false }]);
    expect(await api('DELETE', '/studio/api/recorded/order_lookup')).toEqual({ status: 200, json: { cleared: 0 } });

    // All of them; the next real answer is recorded again at once.
    expect(await api('DELETE', '/studio/api/recorded')).toEqual({ status: 200, json: { cleared: 2 } });
    expect((await api('GET', '/studio/api/recorded')).json).toEqual([{ endpoint: 'order_lookup', steps: [{ flow: 'order_status', step: 'lookup', file: 'flows/order-status.yaml' }], recorded: null }]);
    const customer = randomUUID();
    await say(t.url, customer, 'm1', { text: 'where is my order' });
    await say(t.url, customer, 'm2', { text: 'BW-12345' });
    expect(await recordedRow()).toBeDefined();
  });
});
