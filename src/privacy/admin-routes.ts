/**
 * The customer's data, for admins (AdminAuth: ADMIN_TOKEN, or an admin agent's console session):
 *
 *   GET  /admin/customers/:id/export   everything Parley holds about the customer, as JSON (closes their open export requests)
 *   POST /admin/customers/:id/erase    erases it everywhere → 200 { auditId, counts, redis }
 *   GET  /admin/data-requests          requests customers made in conversation (?status=open|done)
 *
 * The page admins use them from, /admin/privacy (the requests with export links and erase buttons), is one of the
 * admin pages (src/server/admin-pages.ts, src/admin/ui/privacy-page.tsx).
 *
 * `:id` is the customer id, a channel identity `channel:id` (URL-encoded: `whatsapp%3A%2B49151…`) or `+<phone>`.
 * No admin configured: 404; not an admin: 401; unknown customer: 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isParleyError } from '../core/errors.ts';
import type { Admin, AdminAuth } from '../server/auth/admin-auth.ts';
import { eraseCustomer, type EraseDeps } from './customer-erase.ts';
import type { DataRequests } from './data-requests.ts';
import type { PrivacyRepository } from './repository.ts';
import { toJson } from './subject.ts';

export interface PrivacyRoutesOptions {
  auth: AdminAuth;
  repository: PrivacyRepository;
  requests: DataRequests;
  erase: Omit<EraseDeps, 'repository'>;
  /** The customer an admin names (the customers module's `customerRef`). */
  customerOf: (ref: string) => Promise<string>;
}

/** Who asked, for the audit and the requests: never customer data. */
export function adminName(admin: Admin): string {
  return admin.kind === 'token' ? 'admin' : `agent:${admin.agentId}`;
}

export async function registerPrivacyRoutes(app: FastifyInstance, options: PrivacyRoutesOptions): Promise<void> {
  const { auth, repository, requests } = options;
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
      const customerId = await options.customerOf(request.params.id);
      const data = await repository.export(options.erase.customerData, customerId);
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
      const customerId = await options.customerOf(request.params.id);
      const dataRequestId = await requests.openRequestId(customerId, 'erase');
      const requestedBy = dataRequestId ? `customer request, approved by ${adminName(admin)}` : adminName(admin);
      const result = await eraseCustomer({ repository, ...options.erase }, customerId, { requestedBy, ...(dataRequestId ? { dataRequestId } : {}) });
      return reply.header('cache-control', 'no-store').send(result);
    } catch (error) {
      return fail(reply, error);
    }
  });

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
