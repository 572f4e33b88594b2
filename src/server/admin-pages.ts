/**
 * The admin pages — the report (/admin/report, and /admin/report/article for a gap's new article) and the data
 * requests (/admin/privacy) — as one React bundle that scripts/build-workspace.mjs builds into dist/admin (src/admin/ui/),
 * served like the studio and the workspace: the HTML shell with a fresh CSP nonce in every answer, no inline script,
 * the bundle under /admin/assets/ to admins only. A browser without an admin session goes to the console's sign-in and
 * comes back (an agent who is no admin too: the sign-in page is where another person signs in). The figures and the
 * requests come from the JSON APIs (src/server/report-routes.ts, src/privacy/admin-routes.ts). Registered by the report's
 * routes (registerReportRoutes), which have the same admins.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../core/errors.ts';
import type { AdminAuth } from './auth/admin-auth.ts';
import { builtFiles, notBuiltPage, pageHeaders, pageShell } from './built-files.ts';
import { PAGE_CSP } from './security-headers.ts';
import { studioCsp } from './studio-page.ts';

export interface AdminPagesOptions {
  adminAuth: Pick<AdminAuth, 'enabled' | 'resolve'>;
  /** Where the built pages are; default dist/admin in Parley's folder. */
  dir?: string;
}

const DEFAULT_DIR = fileURLToPath(new URL('../../dist/admin/', import.meta.url));
const ASSETS = { 'admin.js': 'text/javascript; charset=utf-8', 'admin.css': 'text/css; charset=utf-8' } as const;
type AssetName = keyof typeof ASSETS;

/** Each page's path and the tab's title; the bundle picks what to show from the path. */
const PAGES = { '/admin/report': 'Report', '/admin/report/article': 'New article', '/admin/privacy': 'Data requests' } as const;

const NOT_BUILT = notBuiltPage('The admin pages have');

export async function registerAdminPages(app: FastifyInstance, options: AdminPagesOptions): Promise<void> {
  const { adminAuth } = options;
  const asset = builtFiles(options.dir ?? DEFAULT_DIR);
  const html = 'text/html; charset=utf-8';

  for (const [route, title] of Object.entries(PAGES)) {
    app.get(route, async (request, reply) => {
      if (!adminAuth.enabled) throw new ParleyError('NOT_FOUND', 'not found');
      if (!(await adminAuth.resolve(request))) return reply.redirect(`/agent/login?next=${encodeURIComponent(request.url)}`, 303);
      if (!asset('admin.js') || !asset('admin.css')) return pageHeaders(reply, html, PAGE_CSP).status(503).send(NOT_BUILT);
      const nonce = randomBytes(18).toString('base64');
      const page = pageShell({ title: `${title} · Parley`, icon: '/agent/favicon.svg', assets: '/admin/assets', name: 'admin', nonce });
      return pageHeaders(reply, html, studioCsp(nonce)).send(page);
    });
  }

  app.get('/admin/assets/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
    if (!adminAuth.enabled) throw new ParleyError('NOT_FOUND', 'not found');
    if (!(await adminAuth.resolve(request))) throw new ParleyError('UNAUTHORIZED', 'sign in as an admin first');
    const name = request.params.name;
    const body = Object.hasOwn(ASSETS, name) ? asset(name) : undefined;
    if (!body) throw new ParleyError('NOT_FOUND', 'no such file');
    return pageHeaders(reply, ASSETS[name as AssetName], PAGE_CSP).send(body);
  });
}
