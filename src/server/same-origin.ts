/**
 * Cookie-authenticated requests from another origin are refused (403 FORBIDDEN), before their body is read. The
 * agent session cookie is SameSite=Strict, which keeps other *sites* out but not a sibling port or subdomain of the
 * same site: a page there could make a signed-in agent's browser erase customers or answer handoffs. So every
 * state-changing request (and WebSocket handshake) carrying the cookie must come from a page of this very origin:
 *
 * - `Sec-Fetch-Site` (what the browser itself says) must be `same-origin`;
 * - without it (older browsers), `Origin` must equal this server's origin: the scheme and host of the request as
 *   Fastify believes them, so behind a proxy that TRUST_PROXY names its `X-Forwarded-Proto` / `-Host` count;
 * - with neither header, the client is no browser (a script holding the cookie): nothing to judge.
 *
 * Requests without the cookie (bearer tokens, API keys, webhooks) are not checked, nor the paths open to every origin
 * (the public web chat, whose pages are embedded on other sites).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../core/errors.ts';

export interface SameOriginOptions {
  /** The cookie that makes a request cookie-authenticated (the agent session). */
  cookie: string;
  /** Path prefixes any origin may use (`/api/webchat`): never checked. */
  publicPrefixes: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerSameOriginCheck(app: FastifyInstance, options: SameOriginOptions): void {
  const cookiePattern = new RegExp(`(?:^|;)\\s*${options.cookie.replace(/[^A-Za-z0-9_]/g, '\\$&')}=`);
  const isPublic = (url: string) => options.publicPrefixes.some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`));

  app.addHook('onRequest', async (request) => {
    const upgrade = String(request.headers.upgrade ?? '').toLowerCase() === 'websocket';
    if (SAFE_METHODS.has(request.method) && !upgrade) return;
    const cookie = request.headers.cookie;
    if (typeof cookie !== 'string' || !cookiePattern.test(cookie) || isPublic(request.url)) return;
    if (fromAnotherOrigin(request)) {
      request.log.warn({ route: request.url.split('?')[0], site: request.headers['sec-fetch-site'] }, 'cross-origin request with the session cookie refused');
      throw new ParleyError('FORBIDDEN', 'cross-origin request refused');
    }
  });
}

function fromAnotherOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin';
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).origin !== new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return true; // `Origin: null` (a sandboxed page, a redirect) or garbage
  }
}
