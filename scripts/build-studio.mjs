#!/usr/bin/env node
// Bundles Parley Studio's page (src/studio/ui/, React) into dist/studio/studio.js and studio.css with esbuild, which
// the CLI's bundle uses too (a dependency of tsx, so it is there in a production install). Runs on `npm install`
// (prepare) and takes about a second; the output depends only on the sources and the locked packages. The server
// serves these files under /studio/assets/ and answers 503 for /studio while they are missing.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.resolve(root, process.argv[2] ?? 'dist/studio');

try {
  const { build } = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { studio: path.join(root, 'src/studio/ui/main.tsx') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
} catch (error) {
  rmSync(outdir, { recursive: true, force: true });
  process.stderr.write(`parley: studio page not built (${error instanceof Error ? error.message : String(error)}); /studio answers 503 until \`npm run build\` succeeds\n`);
}
