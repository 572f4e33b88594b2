import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { ParleyError } from '../core/errors.ts';
import type { Logger } from '../infra/logger.ts';
import { registerSameOriginCheck, type SameOriginOptions } from './same-origin.ts';
import { registerSecurityHeaders } from './security-headers.ts';

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, 'ok' | string>;
  channels: string[];
}

export interface HttpServerOptions {
  logger: Logger;
  health: () => Promise<HealthReport>;
  /** Static files served at `/` (the demo storefront and the widget). */
  publicDir?: string;
  /** Largest request body accepted, in bytes. Default 64 KiB. */
  bodyLimit?: number;
  /** How long (ms) a client may take to send one whole request (HTTP_REQUEST_TIMEOUT_MS); past it 408. Default 30 s. */
  requestTimeoutMs?: number;
  /** Which proxies' X-Forwarded-For / -Proto to believe (request.ip, request.protocol). Default: none. */
  trustProxy?: boolean | number | string[];
  /** Refuse cross-origin requests that carry this session cookie (src/server/same-origin.ts). */
  sameOrigin?: SameOriginOptions;
}

/** Fastify's own client errors carry a code and a 4xx status; they keep both. */
function toParleyError(error: FastifyError): ParleyError | undefined {
  if (error instanceof ParleyError) return error;
  const status = error.statusCode ?? 500;
  if (status === 413) return new ParleyError('PAYLOAD_TOO_LARGE', 'request body is too large');
  if (status >= 400 && status < 500) return new ParleyError('BAD_REQUEST', error.message, { details: error.code });
  return undefined;
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (too slow, headers too large, malformed), answered in
 * Parley's error shape; the connection is closed, as Node does.
 */
function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'REQUEST_TIMEOUT', 'the request did not arrive in time']
    : error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'BAD_REQUEST', 'request headers are too large'] : [400, 'BAD_REQUEST', 'malformed request'];
  this.log.debug({ code: error.code, status }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify({ error: { code, message } });
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

/**
 * The one HTTP server (Fastify: schema-free routes, a fast JSON path, and first-class WebSocket and static plugins).
 * Channels register their own routes on it.
 */
export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  // Node's own limit on receiving a request, body included: a body that trickles in (or never ends) gets 408 and the
  // connection is closed. It ends when the request has arrived, so WebSockets and long answers are not cut off.
  // Node checks it every connectionsCheckingInterval; once a second keeps the 408 near the limit.
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    requestTimeout,
    clientErrorHandler,
    http: { requestTimeout, headersTimeout: Math.min(60_000, requestTimeout), connectionsCheckingInterval: Math.min(1000, requestTimeout) },
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    return503OnClosing: true,
    // A number of hops is a function to Fastify's types: trust the nearest `hops` proxies.
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : options.trustProxy ?? false,
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toParleyError(error);
    if (!known || known.status >= 500) {
      if (!known) request.log.error({ err: error.message, stack: error.stack, route: request.routeOptions.url }, 'request failed');
      const status = known?.status ?? 500;
      return reply.status(status).send({ error: { code: known?.code ?? 'INTERNAL', message: known?.message ?? 'internal error' } });
    }
    request.log.info({ route: request.routeOptions.url, code: known.code }, 'request refused');
    if (known.retryAfterSeconds !== undefined) void reply.header('retry-after', String(known.retryAfterSeconds));
    return reply.status(known.status).send({ error: { code: known.code, message: known.message, details: known.details } });
  });

  app.setNotFoundHandler((_request, reply) => {
    reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'not found' } });
  });

  // Responses finished while closing end their keep-alive connection, so close() does not wait for idle sockets.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  registerSecurityHeaders(app);

  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, route: request.routeOptions.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  // After the WebSocket plugin's own onRequest hook, which marks a handshake so that a refused one is closed.
  if (options.sameOrigin) registerSameOriginCheck(app, options.sameOrigin);
  if (options.publicDir) await app.register(fastifyStatic, { root: options.publicDir, index: 'index.html' });

  app.get('/healthz', async (_request, reply) => {
    const report = await options.health();
    return reply.status(report.status === 'ok' ? 200 : 503).send(report);
  });

  return app;
}
