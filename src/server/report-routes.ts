/**
 * The voice-of-the-customer report for managers and editors, and /metrics for Prometheus (docs/report.md).
 *
 *   GET /admin/report              the page (admins: ADMIN_TOKEN or an admin agent's console session); a browser
 *                                  without one is sent to /agent/login?next=/admin/report
 *   GET /admin/api/report?since=7d&quiet=30m  the figures as JSON (401 without an admin)
 *   GET /admin/report/article?q=…  a new knowledge article for a gap, ready to save under KNOWLEDGE_DIR
 *   GET /metrics                   Prometheus text format, with `Authorization: Bearer METRICS_TOKEN`; 404 when unset
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppMetrics } from '../analytics/metrics.ts';
import { buildReport } from '../analytics/report.ts';
import { parseDuration, parseSince } from '../analytics/since.ts';
import { ParleyError } from '../core/errors.ts';
import type { Queryable } from '../store/types.ts';
import { bearerMatches, type AdminAuth } from './admin-auth.ts';
import { articleDraft, articlePage } from './report-article.ts';
import { PAGE_CSP } from './security-headers.ts';

export interface ReportRoutesOptions {
  db: Queryable;
  adminAuth: AdminAuth;
  metrics: AppMetrics;
  /** METRICS_TOKEN; undefined: /metrics answers 404. */
  metricsToken: string | undefined;
  /** Where articles live, shown on the new-article page (KNOWLEDGE_DIR, relative to the working directory when inside it). */
  knowledgeDir: string;
}

const publicDir = new URL('./report-public/', import.meta.url);
const asset = (name: string) => readFileSync(new URL(name, publicDir), 'utf8');
const chartJsPath = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
const ASSETS = {
  page: asset('report.html'),
  js: asset('report.js'),
  css: asset('report.css'),
  chart: readFileSync(chartJsPath, 'utf8'),
};

const ReportQuery = z.strictObject({ since: z.string().max(40).optional(), quiet: z.string().max(10).optional() });
const ArticleQuery = z.strictObject({ q: z.union([z.string().min(1).max(500), z.array(z.string().min(1).max(500)).min(1).max(4)]) });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ParleyError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return parsed.data;
}

export async function registerReportRoutes(app: FastifyInstance, options: ReportRoutesOptions): Promise<void> {
  const { adminAuth } = options;
  const send = (reply: FastifyReply, body: string, type: string) =>
    reply.header('content-type', type).header('cache-control', 'no-store').header('x-frame-options', 'DENY')
      .header('x-content-type-options', 'nosniff').header('content-security-policy', PAGE_CSP).send(body);

  /** Pages: without an admin, a browser goes to the sign-in page and comes back; nothing of the report is served. */
  const page = (route: string, body: (request: FastifyRequest) => string, type = 'text/html; charset=utf-8') =>
    app.get(route, async (request, reply) => {
      if (!adminAuth.enabled) throw new ParleyError('NOT_FOUND', 'not found');
      if (!(await adminAuth.resolve(request))) {
        if (type.startsWith('text/html')) return reply.redirect(`/agent/login?next=${encodeURIComponent(request.url)}`, 303);
        throw new ParleyError('UNAUTHORIZED', 'sign in as an admin first');
      }
      return send(reply, body(request), type);
    });

  page('/admin/report', () => ASSETS.page);
  page('/admin/report.js', () => ASSETS.js, 'text/javascript; charset=utf-8');
  page('/admin/report.css', () => ASSETS.css, 'text/css; charset=utf-8');
  page('/admin/chart.umd.min.js', () => ASSETS.chart, 'text/javascript; charset=utf-8');
  page('/admin/report/article', (request) => {
    const { q } = parse(ArticleQuery, request.query);
    return articlePage(articleDraft(Array.isArray(q) ? q : [q]), options.knowledgeDir);
  });

  app.get('/admin/api/report', async (request, reply) => {
    if (!adminAuth.enabled) throw new ParleyError('NOT_FOUND', 'not found');
    if (!(await adminAuth.resolve(request))) {
      void reply.header('www-authenticate', 'Bearer');
      throw new ParleyError('UNAUTHORIZED', 'sign in as an admin, or send the admin token');
    }
    const { since, quiet } = parse(ReportQuery, request.query);
    const report = await buildReport(options.db, { since: parseSince(since ?? '7d'), ...(quiet ? { quietMs: parseDuration(quiet) } : {}) });
    return reply.header('cache-control', 'no-store').send(report);
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
