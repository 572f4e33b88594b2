/**
 * What Parley's React pages (the studio, the agent workspace) share on the server: the files their build wrote,
 * read once and again after a new build replaced them, and the headers their answers carry.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';

/** Reads a built file by name from `dir`; undefined while there is none (the page is not built). */
export function builtFiles(dir: string): (name: string) => Buffer | undefined {
  const cache = new Map<string, { mtimeMs: number; body: Buffer }>();
  return (name) => {
    const file = path.join(dir, name);
    try {
      const { mtimeMs } = statSync(file);
      const kept = cache.get(name);
      if (kept?.mtimeMs === mtimeMs) return kept.body;
      const body = readFileSync(file);
      cache.set(name, { mtimeMs, body });
      return body;
    } catch {
      return undefined;
    }
  };
}

/** A page's or bundle's answer: its type, never stored or framed, under the given policy. */
export const pageHeaders = (reply: FastifyReply, type: string, csp: string): FastifyReply =>
  reply.header('content-type', type).header('cache-control', 'no-store').header('x-frame-options', 'DENY').header('content-security-policy', csp);

/** The HTML shell a React page's bundle mounts into: its title, icon, and the built script and stylesheet. */
export function pageShell(options: { title: string; icon: string; assets: string; name: string; nonce: string }): string {
  const { title, icon, assets, name, nonce } = options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csp-nonce" content="${nonce}">
<title>${title}</title>
<link rel="icon" href="${icon}"${icon.startsWith('data:') ? '' : ' type="image/svg+xml"'}>
<link rel="stylesheet" href="${assets}/${name}.css">
<script type="module" src="${assets}/${name}.js"></script>
</head>
<body><div id="root"></div></body>
</html>
`;
}

/** The page a React page's route answers (503) while its bundle is not built: what is missing, and how to build it. */
export const notBuiltPage = (what: string): string => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Not built yet · Parley</title><link rel="icon" href="/agent/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/agent/notice.css"></head>
<body><main class="card"><h1>Not built yet</h1><p>${what} not been built on this server. Run <code>npm run build</code> (it also runs on <code>npm install</code>).</p></main></body>
</html>
`;
