/**
 * Parley Studio's page at /studio (its API is src/studio/studio-routes.ts): the HTML, with a fresh CSP nonce in every
 * answer, and the bundle scripts/build-studio.mjs built into dist/studio, under /studio/assets/. The policy is the
 * console's, except that styles carrying this answer's nonce are allowed too: CodeMirror writes its styles into the
 * page at run time and gives them the nonce it reads from the page (EditorView.cspNonce); no script is inline.
 * Images may be data: URLs, which CodeMirror's lint marks are. Only editors get the page: a browser that is not
 * signed in goes to the console's sign-in and comes back; an agent who is no editor gets a 403 page saying so.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AgentSessions } from './auth/agent-sessions.ts';
import { ParleyError } from '../core/errors.ts';
import { isEditor } from '../handoff/agents.ts';
import { builtFiles, pageHeaders, pageShell } from './built-files.ts';
import { PAGE_CSP } from './security-headers.ts';

export interface StudioPageOptions {
  /** The console's sign-in; absent when no agents are configured (then there is no page: 404). */
  sessions?: Pick<AgentSessions, 'ofRequest'>;
  /** Where the built page is; default dist/studio in Parley's folder. */
  dir?: string;
  /** An editor is opening the page: the preview can start loading the drafts while the browser loads the bundle. */
  onOpen?: () => void;
}

const DEFAULT_DIR = fileURLToPath(new URL('../../dist/studio/', import.meta.url));
const ASSETS = { 'studio.js': 'text/javascript; charset=utf-8', 'studio.css': 'text/css; charset=utf-8' } as const;
type AssetName = keyof typeof ASSETS;

export function studioCsp(nonce: string): string {
  return `default-src 'self'; script-src 'self'; style-src 'self' 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;
}

/** The studio's mark as the tab's icon, inline (img-src allows data:), so the browser asks the server for no favicon. */
const ICON = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><text x="16" y="22.5" font-family="system-ui,sans-serif" font-size="18" font-weight="700" fill="#fff" text-anchor="middle">P</text></svg>')}`;

const page = (nonce: string) => pageShell({ title: 'Parley Studio', icon: ICON, assets: '/studio/assets', name: 'studio', nonce });

const notice = (title: string, text: string, link?: { href: string; label: string }) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Parley Studio</title><link rel="stylesheet" href="/agent/notice.css"></head>
<body><main class="login"><h1>${title}</h1><p>${text}</p>${link ? `<p><a href="${link.href}">${link.label}</a></p>` : ''}</main></body>
</html>
`;

const NOT_EDITOR = notice('Not an editor', 'Parley Studio is for editors. Ask an admin to add <code>"editor": true</code> to your entry in AGENTS.', { href: '/agent/login?next=%2Fstudio', label: 'Sign in as someone else' });
const NOT_BUILT = notice('Not built yet', 'The studio page has not been built on this server. Run <code>npm run build</code> (it also runs on <code>npm install</code>).');

export async function registerStudioPage(app: FastifyInstance, options: StudioPageOptions): Promise<void> {
  const { sessions } = options;
  if (!sessions) return;
  const dir = options.dir ?? DEFAULT_DIR;
  const asset = builtFiles(dir);
  const headers = pageHeaders;

  app.get('/studio', async (request, reply) => {
    const agent = await sessions.ofRequest(request);
    if (!agent) return reply.redirect(`/agent/login?next=${encodeURIComponent('/studio')}`, 303);
    const html = 'text/html; charset=utf-8';
    if (!isEditor(agent)) return headers(reply, html, PAGE_CSP).status(403).send(NOT_EDITOR);
    if (!asset('studio.js') || !asset('studio.css')) return headers(reply, html, PAGE_CSP).status(503).send(NOT_BUILT);
    options.onOpen?.();
    const nonce = randomBytes(18).toString('base64');
    return headers(reply, html, studioCsp(nonce)).send(page(nonce));
  });

  app.get('/studio/assets/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
    const agent = await sessions.ofRequest(request);
    if (!agent) throw new ParleyError('UNAUTHORIZED', 'sign in first');
    if (!isEditor(agent)) throw new ParleyError('FORBIDDEN', 'Parley Studio is for editors');
    const name = request.params.name;
    const body = Object.hasOwn(ASSETS, name) ? asset(name as AssetName) : undefined;
    if (!body) throw new ParleyError('NOT_FOUND', 'no such file');
    return headers(reply, ASSETS[name as AssetName], PAGE_CSP).send(body);
  });
}
