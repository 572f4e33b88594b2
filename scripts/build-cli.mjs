#!/usr/bin/env node
// Bundles the `parley` CLI's sources into dist/cli/ with esbuild, so commands an editor runs often
// (`parley flows check`, `parley chat`) start without transpiling TypeScript on every run. Runs on `npm install`
// (prepare). `parley start` is left out: the server finds its assets relative to its source files (import.meta.url),
// which a bundle would move; any other module that does so fails the build here rather than the command later.
// bin/parley.js uses the bundle only while it is newer than every source file it was built from; otherwise it
// runs the sources through tsx, so a stale or missing bundle never changes behaviour, only start-up time.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Another directory may be given (tests build one of their own); bin/parley.js only ever reads dist/cli.
const outdir = path.resolve(root, process.argv[2] ?? 'dist/cli');

try {
  const { build } = await import('esbuild');
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(root, 'src/cli/main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    plugins: [{
      name: 'parley-cli-bundle',
      setup(build) {
        build.onResolve({ filter: /^\.\/start\.ts$/ }, (args) => ({ path: args.path, external: true }));
        build.onLoad({ filter: /\.ts$/ }, (args) => {
          const source = readFileSync(args.path, 'utf8');
          // The sentence encoder starts its thread from the file beside it, which is copied beside the bundle below; a
          // package resolved from the module's place is found from the bundle's too (node_modules is above both).
          const allowed = ["new URL('./encoder-thread.mjs', import.meta.url)", 'createRequire(import.meta.url)'];
          if (allowed.reduce((rest, use) => rest.replaceAll(use, ''), source).includes('import.meta')) {
            return { errors: [{ text: `${path.relative(root, args.path)} uses import.meta, which a bundle would break; keep it out of the CLI commands' imports` }] };
          }
          return { contents: source, loader: 'ts' };
        });
      },
    }],
  });
  copyFileSync(path.join(root, 'src/understanding/meaning/encoder-thread.mjs'), path.join(outdir, 'encoder-thread.mjs'));
  const inputs = [...Object.keys(result.metafile.inputs).map((input) => path.relative(root, path.resolve(root, input))), 'src/understanding/meaning/encoder-thread.mjs'];
  writeFileSync(path.join(outdir, 'manifest.json'), `${JSON.stringify({ builtAt: Date.now(), inputs }, null, 1)}\n`);
} catch (error) {
  // Never fails an install: without the bundle the CLI runs from the sources.
  rmSync(outdir, { recursive: true, force: true });
  process.stderr.write(`parley: CLI bundle not built (${error instanceof Error ? error.message : String(error)}); the CLI runs from the sources\n`);
}
