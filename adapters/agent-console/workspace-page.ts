/**
 * The agent workspace's page at /agent: the HTML with a fresh CSP nonce in every answer (React Aria writes the one
 * style it injects with the nonce it reads from `<meta name="csp-nonce">`; no script is inline), and the bundle that
 * scripts/build-workspace.mjs built into dist/workspace, under /agent/assets/ to signed-in agents only. A browser
 * without a session goes to the sign-in page and comes back. The icon is served to anyone, so no page 404s on it.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../../src/core/errors.ts';
import { builtFiles, notBuiltPage, pageHeaders, pageShell } from '../../src/server/built-files.ts';
import { PAGE_CSP } from '../../src/server/security-headers.ts';
import { studioCsp } from '../../src/server/studio-page.ts';
import type { AgentSessions } from '../../src/server/auth/agent-sessions.ts';

export interface WorkspacePageOptions {
  sessions: Pick<AgentSessions, 'ofRequest'>;
  /** Where the built page is; default dist/workspace in Parley's folder. */
  dir?: string;
}

const DEFAULT_DIR = fileURLToPath(new URL('../../dist/workspace/', import.meta.url));
const ASSETS = { 'workspace.js': 'text/javascript; charset=utf-8', 'workspace.css': 'text/css; charset=utf-8' } as const;
type AssetName = keyof typeof ASSETS;

/** Parley's mark: a speech bubble on the workspace's accent colour. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M9 10h14a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2h-8l-5 4v-4H9a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2z" fill="#fff"/></svg>`;

const page = (nonce: string) => pageShell({ title: 'Parley · Inbox', icon: '/agent/favicon.svg', assets: '/agent/assets', name: 'workspace', nonce });

const NOT_BUILT = notBuiltPage('The agent workspace has');

export async function registerWorkspacePage(app: FastifyInstance, options: WorkspacePageOptions): Promise<void> {
  const { sessions } = options;
  const dir = options.dir ?? DEFAULT_DIR;
  const asset = builtFiles(dir);
  const headers = pageHeaders;

  app.get('/agent/favicon.svg', (_request, reply) =>
    reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').header('content-security-policy', PAGE_CSP).send(FAVICON));

  app.get('/agent', async (request, reply) => {
    const agent = await sessions.ofRequest(request);
    if (!agent) return reply.redirect('/agent/login', 303);
    const html = 'text/html; charset=utf-8';
    if (!asset('workspace.js') || !asset('workspace.css')) return headers(reply, html, PAGE_CSP).status(503).send(NOT_BUILT);
    const nonce = randomBytes(18).toString('base64');
    return headers(reply, html, studioCsp(nonce)).send(page(nonce));
  });

  app.get('/agent/assets/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
    if (!(await sessions.ofRequest(request))) throw new ParleyError('UNAUTHORIZED', 'sign in first');
    const name = request.params.name;
    const body = Object.hasOwn(ASSETS, name) ? asset(name) : undefined;
    if (!body) throw new ParleyError('NOT_FOUND', 'no such file');
    return headers(reply, ASSETS[name as AssetName], PAGE_CSP).send(body);
  });
}
