#!/usr/bin/env node
// Runs the CLI. Every command but `start` uses the bundle that `npm install` builds into dist/cli
// (scripts/build-cli.mjs) while it is newer than every source file it was built from: this saves transpiling the
// sources on every `parley flows check`. `start`, and any command when the bundle is missing or stale, runs the
// TypeScript sources directly through tsx, so a checkout needs no build step.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);

function freshBundle() {
  if (process.env.PARLEY_FROM_SOURCES === '1') return undefined;
  try {
    const manifest = JSON.parse(readFileSync(new URL('dist/cli/manifest.json', root), 'utf8'));
    const stale = manifest.inputs.some((input) => statSync(new URL(input, root)).mtimeMs > manifest.builtAt);
    return stale ? undefined : new URL('dist/cli/main.js', root);
  } catch {
    return undefined;
  }
}

const argv = process.argv.slice(2);
let entry = argv[0] === 'start' ? undefined : freshBundle();
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('src/cli/main.ts', root);
}
const { main } = await import(entry.href);
process.exitCode = await main(argv);
