import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { AdminAuth } from '../../src/server/auth/admin-auth.ts';
import type { ConnectorStatus } from './connector.ts';
import { ADMIN_PAGE } from './terminal-qr.ts';

export interface WhatsAppWebAdminOptions {
  adminAuth: AdminAuth;
  status: () => Promise<ConnectorStatus>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function describe(status: ConnectorStatus): string {
  if (status.state === 'ready') return `Connected as +${status.connectedAs ?? 'unknown number'}.`;
  if (status.state === 'qr') return 'Waiting to be linked: on the phone, open WhatsApp › Settings › Linked devices › Link a device and scan this code.';
  if (status.holder === 'none' && status.state === 'standby') return 'Waiting for another server that holds the number (or for its lock to lapse).';
  return `Connecting (${status.state})…`;
}

/**
 * `GET /admin/whatsapp-web`: the connection's state and, while the account waits to be linked, its QR code, for
 * admins (ADMIN_TOKEN or an admin agent's console session). `GET /admin/whatsapp-web/status`: the same as JSON, with
 * the QR code as a PNG data URL. Any server answers; the one holding the number publishes its state on Redis.
 */
export async function registerWhatsAppWebAdmin(app: FastifyInstance, options: WhatsAppWebAdminOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRequest', (request, reply) => admitted(options.adminAuth, request, reply));
    registerPages(scope, options);
  });
}

/**
 * The one admission hook of these routes: 404 while no admin could ever pass, else an admin or a refusal as the
 * route would show it (the page sends the browser to the sign-in page, the JSON answers 401).
 */
async function admitted(adminAuth: AdminAuth, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (!adminAuth.enabled) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'not found' } });
  if (await adminAuth.resolve(request)) return undefined;
  if (request.routeOptions.url === ADMIN_PAGE) return reply.redirect('/agent/login', 303);
  return reply.status(401).header('www-authenticate', 'Bearer').send({ error: { code: 'UNAUTHORIZED', message: 'an admin is required' } });
}

function registerPages(app: FastifyInstance, options: WhatsAppWebAdminOptions): void {
  app.get(`${ADMIN_PAGE}/status`, async (_request, reply) => {
    const status = await options.status();
    const qrImage = status.qr ? await QRCode.toDataURL(status.qr, { margin: 2, width: 320 }) : undefined;
    return reply.header('cache-control', 'no-store').send({ whatsappWeb: { ...status, description: describe(status), ...(qrImage ? { qrImage } : {}) } });
  });

  app.get(ADMIN_PAGE, async (_request, reply) => {
    const status = await options.status();
    // An inline SVG, so the page needs no script and no image source but itself.
    const qr = status.qr ? await QRCode.toString(status.qr, { type: 'svg', margin: 2, width: 320 }) : '';
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>Parley · WhatsApp Web</title></head>
<body>
<h1>WhatsApp Web (${escape(status.clientId)})</h1>
<p id="state" data-state="${escape(status.state)}">${escape(describe(status))}</p>
${qr ? `<div id="qr">${qr}</div>` : ''}
<p><small>State: ${escape(status.state)} since ${escape(status.since)} · ${escape(status.holder === 'another server' ? 'held by another server' : status.holder === 'this server' ? 'held by this server' : 'not held')} · this page refreshes itself every 5 seconds.</small></p>
<p><a href="/agent">Agent console</a></p>
</body></html>`;
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
      .send(html);
  });
}
