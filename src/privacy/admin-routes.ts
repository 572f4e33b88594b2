/**
 * The customer's data, for admins (AdminAuth: ADMIN_TOKEN, or an admin agent's console session):
 *
 *   GET  /admin/customers/:id/export   everything Parley holds about the customer, as JSON (closes their open export requests)
 *   POST /admin/customers/:id/erase    erases it everywhere → 200 { auditId, counts, redis }
 *   GET  /admin/data-requests          requests customers made in conversation (?status=open|done)
 *   GET  /admin/privacy                the same requests as a page, with export links and erase buttons (its
 *                                      stylesheet and script at /admin/privacy.css and .js, under a strict CSP)
 *
 * `:id` is the customer id, a channel identity `channel:id` (URL-encoded: `whatsapp%3A%2B49151…`) or `+<phone>`.
 * No admin configured: 404; not an admin: 401; unknown customer: 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isParleyError } from '../core/errors.ts';
import type { Admin, AdminAuth } from '../server/admin-auth.ts';
import type { Db } from '../store/types.ts';
import { exportCustomer } from './customer-export.ts';
import { eraseCustomer, type EraseDeps } from './customer-erase.ts';
import { resolveCustomerRef } from './customer-ref.ts';
import type { DataRequests } from './data-requests.ts';
import { PRIVACY_ASSETS } from './privacy-assets.ts';
import { requestsPage } from './requests-page.ts';
import { PAGE_CSP } from '../server/security-headers.ts';
import { toJson } from './subject.ts';

export interface PrivacyRoutesOptions {
  auth: AdminAuth;
  db: Db;
  requests: DataRequests;
  erase: Omit<EraseDeps, 'db'>;
}

/** Who asked, for the audit and the requests: never customer data. */
export function adminName(admin: Admin): string {
  return admin.kind === 'token' ? 'admin' : `agent:${admin.agentId}`;
}

export async function registerPrivacyRoutes(app: FastifyInstance, options: PrivacyRoutesOptions): Promise<void> {
  const { auth, db, requests } = options;
  const guard = async (request: FastifyRequest, reply: FastifyReply): Promise<Admin | undefined> => {
    if (!auth.enabled) {
      void reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'not found' } });
      return undefined;
    }
    const admin = await auth.resolve(request);
    if (!admin) void reply.status(401).header('www-authenticate', 'Bearer').send({ error: { code: 'UNAUTHORIZED', message: 'an admin token or an admin session is required' } });
    return admin;
  };
  const fail = (reply: FastifyReply, error: unknown) => {
    if (isParleyError(error)) return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
    throw error;
  };

  app.get<{ Params: { id: string } }>('/admin/customers/:id/export', async (request, reply) => {
    const admin = await guard(request, reply);
    if (!admin) return reply;
    try {
      const customerId = await resolveCustomerRef(db, request.params.id);
      const data = await exportCustomer(db, customerId);
      await requests.complete(customerId, 'export', adminName(admin));
      return reply.header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="customer-${customerId}.json"`)
        .header('cache-control', 'no-store')
        .send(toJson(data, 2));
    } catch (error) {
      return fail(reply, error);
    }
  });

  app.post<{ Params: { id: string } }>('/admin/customers/:id/erase', async (request, reply) => {
    const admin = await guard(request, reply);
    if (!admin) return reply;
    try {
      const customerId = await resolveCustomerRef(db, request.params.id);
      const dataRequestId = await requests.openRequestId(customerId, 'erase');
      const requestedBy = dataRequestId ? `customer request, approved by ${adminName(admin)}` : adminName(admin);
      const result = await eraseCustomer({ db, ...options.erase }, customerId, { requestedBy, ...(dataRequestId ? { dataRequestId } : {}) });
      return reply.header('cache-control', 'no-store').send(result);
    } catch (error) {
      return fail(reply, error);
    }
  });

  // The page and its own stylesheet and script, under the strict CSP; without an admin, a browser goes to sign in.
  const pages = [
    ['/admin/privacy', 'text/html; charset=utf-8', async () => requestsPage(await requests.list())],
    ['/admin/privacy.css', 'text/css; charset=utf-8', async () => PRIVACY_ASSETS.css],
    ['/admin/privacy.js', 'text/javascript; charset=utf-8', async () => PRIVACY_ASSETS.js],
  ] as const;
  for (const [path, type, body] of pages) {
    app.get(path, async (request, reply) => {
      if (!auth.enabled) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'not found' } });
      if (!(await auth.resolve(request))) {
        if (path !== '/admin/privacy') return reply.status(401).send({ error: { code: 'UNAUTHORIZED', message: 'sign in as an admin first' } });
        return reply.redirect(`/agent/login?next=${encodeURIComponent(request.url)}`, 303);
      }
      return reply.header('content-type', type).header('cache-control', 'no-store').header('x-frame-options', 'DENY')
        .header('content-security-policy', PAGE_CSP).send(await body());
    });
  }

  app.get<{ Querystring: { status?: string } }>('/admin/data-requests', async (request, reply) => {
    const admin = await guard(request, reply);
    if (!admin) return reply;
    const status = request.query.status;
    if (status !== undefined && status !== 'open' && status !== 'done') {
      return reply.status(400).send({ error: { code: 'BAD_REQUEST', message: 'status must be open or done' } });
    }
    const list = await requests.list(status ? { status } : {});
    return reply.header('cache-control', 'no-store').send({ requests: list });
  });
}
