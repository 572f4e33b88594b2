import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../src/core/errors.ts';
import { loadCallEndpoints, type CallEndpoint } from '../../src/integrations/call-endpoints.ts';
import { createHttpCaller, type CallRequest } from '../../src/integrations/http-call.ts';
import { createLogger } from '../../src/infra/logger.ts';

/** What the order system received, for the assertions. */
const received: { method?: string; url?: string; authorization?: string; body: string }[] = [];
let server: Server;
let base: string;

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    received.push({ method: request.method, url: request.url, authorization: request.headers.authorization, body: await body(request) });
    const route = new URL(request.url!, 'http://x').pathname;
    const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (route.startsWith('/orders/')) return json(200, { status: 'shipped', number: decodeURIComponent(route.slice(8)) });
    if (route === '/missing') return json(404, { error: 'no such order' });
    if (route === '/broken') return json(500, { error: 'database down' });
    if (route === '/not-json') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
    if (route === '/huge') return json(200, { blob: 'x'.repeat(300 * 1024) });
    if (route === '/huge-chunked') {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 40; i++) response.write('x'.repeat(8 * 1024));
      return response.end();
    }
    if (route === '/redirect') return response.writeHead(302, { location: '/orders/1' }).end();
    if (route === '/slow') return void setTimeout(() => json(200, { late: true }), 2000);
    if (route === '/stalled-body') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"partial":');
      return;
    }
    if (route === '/empty') return response.writeHead(204).end();
    return json(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const logs: string[] = [];
const logger = createLogger({ level: 'debug', redact: true, destination: new Writable({ write: (c: Buffer, _e, done) => (logs.push(c.toString()), done()) }) });

function caller(endpoints: Record<string, Partial<CallEndpoint> & { url: string }>) {
  const full = Object.fromEntries(Object.entries(endpoints).map(([name, e]) => [name, { method: 'GET' as const, headers: {}, ...e }]));
  return createHttpCaller({ endpoints: () => full, logger });
}
const request = (endpoint: string, params: CallRequest['params'] = {}, timeoutMs = 2000): CallRequest => ({ kind: 'call', endpoint, params, timeoutMs });

describe('http call', () => {
  it('fills the URL, sends the configured headers and the other parameters as the query, and returns the JSON', async () => {
    const call = caller({ lookup: { url: `${base}/orders/{order}`, headers: { Authorization: 'Bearer s3cret' } } });
    const result = await call(request('lookup', { order: 'BW 1/2', verbose: true, none: null }));
    expect(result).toEqual({ kind: 'call', ok: true, status: 200, data: { status: 'shipped', number: 'BW 1/2' } });
    expect(received.at(-1)).toMatchObject({ method: 'GET', url: '/orders/BW%201%2F2?verbose=true', authorization: 'Bearer s3cret' });
  });

  it('sends the parameters as a JSON body for POST', async () => {
    const call = caller({ create: { url: `${base}/orders/{order}`, method: 'POST' } });
    await call(request('create', { order: 'BW-1', qty: 2, gift: false }));
    expect(received.at(-1)).toMatchObject({ method: 'POST', url: '/orders/BW-1', body: '{"qty":2,"gift":false}' });
  });

  it.each([
    ['a 404', '/missing', { ok: false, status: 404, error: 'http_404' }],
    ['a 500', '/broken', { ok: false, status: 500, error: 'http_500' }],
    ['an answer that is not JSON', '/not-json', { ok: false, status: 200, error: 'invalid_json' }],
    ['an answer over the size cap', '/huge', { ok: false, status: 200, error: 'too_large' }],
    ['a chunked answer over the size cap', '/huge-chunked', { ok: false, status: 200, error: 'too_large' }],
    ['a redirect', '/redirect', { ok: false, error: 'network' }],
  ])('%s fails with a code', async (_name, route, expected) => {
    const result = await caller({ e: { url: `${base}${route}` } })(request('e'));
    expect(result).toEqual({ kind: 'call', ...expected });
  });

  it('an empty answer is a success without data', async () => {
    expect(await caller({ e: { url: `${base}/empty` } })(request('e'))).toEqual({ kind: 'call', ok: true, status: 204, data: null });
  });

  it('gives up after the timeout, whether the answer or its body is late', async () => {
    for (const route of ['/slow', '/stalled-body']) {
      const started = performance.now();
      const result = await caller({ e: { url: `${base}${route}` } })(request('e', {}, 300));
      expect(result).toEqual({ kind: 'call', ok: false, error: 'timeout' });
      expect(performance.now() - started).toBeLessThan(1500);
    }
  });

  it('fails without calling for an unknown endpoint, a missing URL parameter, or a server that is not there', async () => {
    const call = caller({ lookup: { url: `${base}/orders/{order}` }, gone: { url: 'http://127.0.0.1:1/x' } });
    const before = received.length;
    expect(await call(request('nope'))).toEqual({ kind: 'call', ok: false, error: 'not_configured' });
    expect(await call(request('lookup', { order: '' }))).toEqual({ kind: 'call', ok: false, error: 'missing_param' });
    expect(received.length).toBe(before);
    expect(await call(request('gone'))).toEqual({ kind: 'call', ok: false, error: 'network' });
  });

  it.each([
    ['.', '/orders/{order}', { order: '.' }],
    ['..', '/orders/{order}/items', { order: '..' }],
    ['two parameters that make one ..', '/orders/{a}{b}', { a: '.', b: '.' }],
    ['a parameter beside an encoded dot in the URL', '/orders/{a}%2E', { a: '.' }],
  ])('refuses a path parameter that makes a dot-segment (%s), without calling', async (_name, route, params) => {
    const before = received.length;
    expect(await caller({ e: { url: `${base}${route}` } })(request('e', params))).toEqual({ kind: 'call', ok: false, error: 'invalid_param' });
    expect(received.length).toBe(before);
  });

  it('accepts dots that stay inside a segment or sit in the query', async () => {
    const call = caller({ file: { url: `${base}/orders/{order}.json` }, query: { url: `${base}/orders/x?ref={ref}` } });
    expect(await call(request('file', { order: '.' }))).toMatchObject({ ok: true });
    expect(received.at(-1)?.url).toBe('/orders/..json');
    expect(await call(request('query', { ref: '..' }))).toMatchObject({ ok: true });
    expect(received.at(-1)?.url).toBe('/orders/x?ref=..');
  });

  it('logs the endpoint and outcome, never the parameters, the answer or the credentials', async () => {
    logs.length = 0;
    const call = caller({ lookup: { url: `${base}/orders/{order}`, headers: { Authorization: 'Bearer s3cret' } } });
    await call(request('lookup', { order: 'ana@example.com' }));
    const text = logs.join('');
    expect(text).toContain('"endpoint":"lookup"');
    expect(text).not.toContain('ana@example.com');
    expect(text).not.toContain('shipped');
    expect(text).not.toContain('s3cret');
  });
});

describe('CALL_ENDPOINTS configuration', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'parley-endpoints-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const json = JSON.stringify({ lookup: { url: 'https://shop.example/orders/{order}?key=${SHOP_KEY}', headers: { Authorization: 'Bearer ${SHOP_TOKEN}' } } });

  it('reads the endpoints, with secrets from the environment', () => {
    expect(loadCallEndpoints({ CALL_ENDPOINTS: json, SHOP_KEY: 'k1', SHOP_TOKEN: 't1' }, cwd)).toEqual({
      lookup: { url: 'https://shop.example/orders/{order}?key=k1', method: 'GET', headers: { Authorization: 'Bearer t1' } },
    });
    writeFileSync(path.join(cwd, 'endpoints.json'), json);
    expect(loadCallEndpoints({ CALL_ENDPOINTS_FILE: 'endpoints.json', SHOP_KEY: 'k', SHOP_TOKEN: 't' }, cwd)?.lookup?.headers).toEqual({ Authorization: 'Bearer t' });
    expect(loadCallEndpoints({}, cwd)).toBeUndefined();
  });

  it.each([
    ['a secret that is not set', { CALL_ENDPOINTS: json, SHOP_KEY: 'k' }, /lookup\.headers\.Authorization uses \$\{SHOP_TOKEN\}, which is not set/],
    ['both settings', { CALL_ENDPOINTS: json, CALL_ENDPOINTS_FILE: 'x.json' }, /not both/],
    ['invalid JSON', { CALL_ENDPOINTS: '{"lookup":' }, /CALL_ENDPOINTS: not valid JSON/],
    ['a URL that is not http', { CALL_ENDPOINTS: '{"lookup":{"url":"file:///etc/passwd"}}' }, /lookup\.url: must be an http/],
    ['an unknown key', { CALL_ENDPOINTS: '{"lookup":{"url":"http://x","timeout":3}}' }, /lookup: Unrecognized key/],
    ['a missing file', { CALL_ENDPOINTS_FILE: 'nope.json' }, /cannot read the file \(ENOENT\)/],
  ])('refuses %s at start with CONFIG_INVALID', (_name, env, message) => {
    try {
      loadCallEndpoints(env, cwd);
      expect.fail('expected CONFIG_INVALID');
    } catch (error) {
      expect(isParleyError(error, 'CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('k1');
    }
  });
});
