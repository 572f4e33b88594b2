// Bundles one of Parley's React pages with esbuild (a dependency of tsx, so it is there in a production install) into
// `<outdir>/<name>.js` and `<name>.css`: minified ES modules, no source maps, the same output for the same sources and
// locked packages. A failed build is reported, not fatal: the page answers 503 with how to build until it succeeds.
// `debug` builds unminified with React's development checks. The files are written beside and then moved into place,
// each replacing the old one at once, so a server (or a test running meanwhile) never finds the page half built.
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function bundlePage({ name, entry, outdir, notBuilt, debug = false }) {
  const staging = `${outdir}.building-${process.pid}`;
  try {
    const { build } = await import('esbuild');
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(outdir, { recursive: true });
    await build({
      entryPoints: { [name]: path.join(root, entry) },
      outdir: staging,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: ['chrome120', 'firefox120', 'safari17'],
      jsx: 'automatic',
      minify: !debug,
      legalComments: 'none',
      define: { 'process.env.NODE_ENV': debug ? '"development"' : '"production"' },
      logLevel: 'warning',
    });
    for (const file of readdirSync(staging)) renameSync(path.join(staging, file), path.join(outdir, file));
    rmSync(staging, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
    process.stderr.write(`parley: ${notBuilt} (${error instanceof Error ? error.message : String(error)}); until \`npm run build\` succeeds\n`);
  }
}
