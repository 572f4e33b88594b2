/**
 * Headers every answer gets, and the Content-Security-Policy of Parley's own pages (the agent console, the report,
 * the privacy page): scripts, styles and connections from Parley only, nothing inline, never framed.
 *
 * - `X-Content-Type-Options: nosniff` everywhere: a browser takes each file as the type Parley says it is.
 * - `Cache-Control: no-store` on `/agent/…`, `/admin/…` and `/studio/…` unless a route chose otherwise: what agents and admins
 *   see (handoffs, transcripts, customers' data) is not kept by a browser or a shared cache.
 * - `Strict-Transport-Security` when the request came over TLS (to Parley, or to a proxy that TRUST_PROXY believes):
 *   a year, this host only, so a browser that has seen Parley over https never tries plain http again.
 */
import type { FastifyInstance } from 'fastify';

export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const HSTS = 'max-age=31536000';
const PRIVATE_PREFIXES = ['/agent/', '/admin/', '/studio/'];

export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (!reply.hasHeader('cache-control') && PRIVATE_PREFIXES.some((prefix) => request.url.startsWith(prefix))) reply.header('cache-control', 'no-store');
  });
}
