/**
 * Operator endpoints, behind the ADMIN_TOKEN bearer token. Without a token configured they do not exist (404),
 * so a default install exposes nothing; a wrong or missing token gets 401.
 *
 *   POST /admin/flows/reload   re-read FLOWS_DIR and publish it if it loads clean
 *                              → 200 { ok: true, version, issues: [] } | 422 { ok: false, version, issues }
 *                              (`version` is the one served afterwards; issues carry file, line, col, message)
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FlowRegistry } from '../engine/flow-registry.ts';
import { bearerMatches } from './auth/admin-auth.ts';

export interface AdminRoutesOptions {
  token: string | undefined;
  flows: Pick<FlowRegistry, 'reload'>;
}

export async function registerAdminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  const guard = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (!options.token) {
      void reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'not found' } });
      return false;
    }
    if (!bearerMatches(request.headers.authorization, options.token)) {
      void reply.status(401).header('www-authenticate', 'Bearer').send({ error: { code: 'UNAUTHORIZED', message: 'a valid admin token is required' } });
      return false;
    }
    return true;
  };

  app.post('/admin/flows/reload', async (request, reply) => {
    if (!guard(request, reply)) return reply;
    const result = await options.flows.reload();
    return reply.status(result.ok ? 200 : 422).send({ ok: result.ok, version: result.version, changed: result.changed, issues: result.issues });
  });
}
