/**
 * The sign-in page at /agent/login (for the workspace, the studio and the admin pages alike): the HTML with a fresh CSP
 * nonce in every answer (React Aria writes the one style it injects with the nonce it reads from
 * `<meta name="csp-nonce">`; no script is inline), and the bundle that scripts/build-workspace.mjs built into
 * dist/sign-in, at /agent/login.js and /agent/login.css, served to anyone. Answers 503 while it is not built.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { builtFiles, notBuiltPage, pageHeaders, pageShell } from '../../src/server/built-files.ts';
import { PAGE_CSP } from '../../src/server/security-headers.ts';
import { studioCsp } from '../../src/server/studio-page.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../../dist/sign-in/', import.meta.url));
const ASSETS = { 'login.js': 'text/javascript; charset=utf-8', 'login.css': 'text/css; charset=utf-8' } as const;

const NOT_BUILT = notBuiltPage('The sign-in page has');

export async function registerSignInPage(app: FastifyInstance, options: { dir?: string } = {}): Promise<void> {
  const asset = builtFiles(options.dir ?? DEFAULT_DIR);
  const html = 'text/html; charset=utf-8';

  app.get('/agent/login', async (_request, reply) => {
    if (!asset('login.js') || !asset('login.css')) return pageHeaders(reply, html, PAGE_CSP).status(503).send(NOT_BUILT);
    const nonce = randomBytes(18).toString('base64');
    return pageHeaders(reply, html, studioCsp(nonce)).send(pageShell({ title: 'Sign in · Parley', icon: '/agent/favicon.svg', assets: '/agent', name: 'login', nonce }));
  });

  for (const [name, type] of Object.entries(ASSETS)) {
    app.get(`/agent/${name}`, async (_request, reply) => {
      const body = asset(name);
      if (!body) return pageHeaders(reply, 'text/plain; charset=utf-8', PAGE_CSP).status(404).send('not built');
      return pageHeaders(reply, type, PAGE_CSP).send(body);
    });
  }
}
