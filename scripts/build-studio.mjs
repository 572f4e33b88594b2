#!/usr/bin/env node
// Bundles Parley Studio's page (src/studio/ui/, React) into dist/studio/studio.js and studio.css (scripts/bundle-page.mjs).
// Runs on `npm install` (prepare) and takes about a second. The server serves these files under /studio/assets/ and
// answers 503 for /studio while they are missing.
import path from 'node:path';
import { bundlePage, root } from './bundle-page.mjs';

await bundlePage({
  name: 'studio',
  entry: 'src/studio/ui/main.tsx',
  outdir: path.resolve(root, process.argv[2] ?? 'dist/studio'),
  notBuilt: 'studio page not built; /studio answers 503',
});
