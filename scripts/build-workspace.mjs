#!/usr/bin/env node
// Bundles the agent workspace's page (src/workspace/ui/, React) into dist/workspace/workspace.js and workspace.css, as
// scripts/build-studio.mjs does for the studio. Runs on `npm install` (prepare) and `npm run build`; the server serves
// these files under /agent/assets/ and answers 503 for /agent while they are missing. WORKSPACE_DEBUG=1 builds it
// unminified with React's development checks, for chasing a problem in the page.
import path from 'node:path';
import { bundlePage, root } from './bundle-page.mjs';

await bundlePage({
  name: 'workspace',
  entry: 'src/workspace/ui/main.tsx',
  outdir: path.resolve(root, process.argv[2] ?? 'dist/workspace'),
  notBuilt: 'agent workspace not built; /agent answers 503',
  debug: process.env.WORKSPACE_DEBUG === '1',
});
