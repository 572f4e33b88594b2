import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from '../support/app.ts';

/**
 * Issue 14, item 12: a `call` step puts what a customer typed into a path segment of the endpoint's URL. The value
 * is percent-encoded, but `.` is not, and URL parsing resolves `..` (and `%2E%2E`) as a step up the path: a customer
 * typing `..` as their order number made Parley call `/v1/orders/../status` = `/v1/status`, another resource of the
 * API, with the endpoint's credentials. Such a value is refused before any request; the flow takes its error path.
 */
const FLOW = `
flow: lookup
triggers:
  fallback: true
steps:
  - ask: "Order number?"
    var: order
  - call: order_api
    with: { order: "{{order}}" }
    save: { status: data.status }
    on_error:
      - say: "Lookup failed ({{call_error}})."
      - end: true
  - say: "Status: {{status}}"
`;

describe('a call parameter that would climb out of its path segment', () => {
  let t: TestApp;
  let api: Server;
  let flowsDir: string;
  const received: string[] = [];

  beforeAll(async () => {
    api = createServer((request, response) => {
      received.push(request.url!);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: `seen ${request.url}` }));
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    flowsDir = mkdtempSync(path.join(tmpdir(), 'parley-flows-'));
    writeFileSync(path.join(flowsDir, 'lookup.yaml'), FLOW);
    const endpoints = { order_api: { url: `http://127.0.0.1:${(api.address() as AddressInfo).port}/v1/orders/{order}/status`, headers: { 'X-Api-Key': 'k' } } };
    t = await startTestApp({ DEMO_MODE: 'false', FLOWS_DIR: flowsDir, CALL_ENDPOINTS: JSON.stringify(endpoints) });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => api?.close(resolve));
    rmSync(flowsDir, { recursive: true, force: true });
  });

  const lookup = async (order: string) => {
    const conversation = randomUUID();
    await say(t.url, conversation, 'm1', { text: 'hello' });
    return (await say(t.url, conversation, 'm2', { text: order })).replies.map((r) => r.text);
  };

  it.each(['..', '.'])('%s is refused without a request, and the flow says why', async (order) => {
    const before = received.length;
    expect(await lookup(order)).toEqual(['Lookup failed (invalid_param).']);
    expect(received.length).toBe(before);
  });

  it('percent-encoded dots and slashes stay inside the one segment', async () => {
    expect(await lookup('%2E%2E')).toEqual(['Status: seen /v1/orders/%252E%252E/status']);
    expect(await lookup('../../admin')).toEqual(['Status: seen /v1/orders/..%2F..%2Fadmin/status']);
    expect(await lookup('BW-1')).toEqual(['Status: seen /v1/orders/BW-1/status']);
  });
});
