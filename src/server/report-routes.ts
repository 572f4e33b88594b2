/**
 * The voice-of-the-customer report for managers and editors, and /metrics for Prometheus (docs/report.md).
 *
 *   GET /admin/api/report?since=7d&quiet=30m  the figures as JSON (admins: ADMIN_TOKEN or an admin agent's console
 *                                  session; 401 without one)
 *   GET /admin/api/report/article?q=…  a new knowledge article for a gap, { path, content }: where to save it under
 *                                  KNOWLEDGE_DIR and its text (401 without an admin)
 *   GET /metrics                   Prometheus text format, with `Authorization: Bearer METRICS_TOKEN`; 404 when unset
 *
 * The pages that show them (/admin/report, /admin/report/article), and the data requests page beside them, are
 * src/server/admin-pages.ts, registered here for the same admins.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppMetrics } from '../analytics/metrics.ts';
import type { AnalyticsRepository } from '../analytics/repository.ts';
import { parseDuration, parseSince } from '../analytics/since.ts';
import { ParleyError } from '../core/errors.ts';
import { bearerMatches, type AdminAuth } from './auth/admin-auth.ts';
import { registerAdminPages } from './admin-pages.ts';
import { articleDraft, articlePath } from './report-article.ts';

export interface ReportRoutesOptions {
  /** The analytics module's repository: the report is read through it. */
  analytics: AnalyticsRepository;
  adminAuth: AdminAuth;
  metrics: AppMetrics;
  /** METRICS_TOKEN; undefined: /metrics answers 404. */
  metricsToken: string | undefined;
  /** Where articles live, shown on the new-article page (KNOWLEDGE_DIR, relative to the working directory when inside it). */
  knowledgeDir: string;
}

const ReportQuery = z.strictObject({ since: z.string().max(40).optional(), quiet: z.string().max(10).optional() });
const ArticleQuery = z.strictObject({ q: z.union([z.string().min(1).max(500), z.array(z.string().min(1).max(500)).min(1).max(4)]) });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ParleyError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return parsed.data;
}

export async function registerReportRoutes(app: FastifyInstance, options: ReportRoutesOptions): Promise<void> {
  const { adminAuth } = options;
  await registerAdminPages(app, { adminAuth });
  /** The admin making the request; without one, 401 (404 when no admin can exist). */
  const admitted = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!adminAuth.enabled) throw new ParleyError('NOT_FOUND', 'not found');
    if (!(await adminAuth.resolve(request))) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ParleyError('UNAUTHORIZED', 'sign in as an admin, or send the admin token');
    }
  };

  app.get('/admin/api/report', async (request, reply) => {
    await admitted(request, reply);
    const { since, quiet } = parse(ReportQuery, request.query);
    const report = await options.analytics.report({ since: parseSince(since ?? '7d'), ...(quiet ? { quietMs: parseDuration(quiet) } : {}) });
    return reply.header('cache-control', 'no-store').send(report);
  });

  app.get('/admin/api/report/article', async (request, reply) => {
    await admitted(request, reply);
    const { q } = parse(ArticleQuery, request.query);
    const draft = articleDraft(Array.isArray(q) ? q : [q]);
    return reply.header('cache-control', 'no-store').send({ path: articlePath(draft, options.knowledgeDir), content: draft.content });
  });

  app.get('/metrics', async (request, reply) => {
    if (!options.metricsToken) throw new ParleyError('NOT_FOUND', 'not found');
    if (!bearerMatches(request.headers.authorization, options.metricsToken)) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ParleyError('UNAUTHORIZED', 'a valid metrics token is required');
    }
    const { contentType, body } = await options.metrics.exposition();
    return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  });
}
