#!/usr/bin/env node
// Bundles the agent workspace's page (src/workspace/ui/, React) into dist/workspace/workspace.js and workspace.css, the
// admin pages that share its look and navigation (src/admin/ui/: the report and the data requests) into
// dist/admin/admin.js and admin.css, and the sign-in page in front of both and the studio (src/sign-in/ui/) into
// dist/sign-in/login.js and login.css, as scripts/build-studio.mjs does for the studio. Runs on `npm install` (prepare)
// and `npm run build`; the server serves these files under /agent/assets/, /admin/assets/ and /agent/login.{js,css}, and
// answers 503 for /agent, the admin pages and /agent/login while they are missing. WORKSPACE_DEBUG=1 builds them unminified with React's development checks,
// for chasing a problem in a page. A directory given as the argument gets all three, in workspace/, admin/ and sign-in/.
import path from 'node:path';
import { bundlePage, root } from './bundle-page.mjs';

const debug = process.env.WORKSPACE_DEBUG === '1';
const outdir = (name) => (process.argv[2] ? path.resolve(root, process.argv[2], name) : path.resolve(root, 'dist', name));

await Promise.all([
  bundlePage({ name: 'workspace', entry: 'src/workspace/ui/main.tsx', outdir: outdir('workspace'), notBuilt: 'agent workspace not built; /agent answers 503', debug }),
  bundlePage({ name: 'admin', entry: 'src/admin/ui/main.tsx', outdir: outdir('admin'), notBuilt: 'admin pages not built; /admin/report and /admin/privacy answer 503', debug }),
  bundlePage({ name: 'login', entry: 'src/sign-in/ui/main.tsx', outdir: outdir('sign-in'), notBuilt: 'sign-in page not built; /agent/login answers 503', debug }),
]);
