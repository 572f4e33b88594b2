#!/usr/bin/env node
// `npm test`: the type check and the tests side by side. tsc works on one core for half a minute while vitest's global
// setup (test/global-setup.ts) also works on one: run one after the other, the second core waits for both. Extra
// arguments go to vitest (`npm test -- test/kb`). Exits non-zero when either fails, after both have finished.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = (relative) => fileURLToPath(new URL(`../node_modules/${relative}`, import.meta.url));
const run = (script, args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [bin(script), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const [typecheck, tests] = await Promise.all([run('typescript/bin/tsc', ['--noEmit']), run('vitest/vitest.mjs', ['run', ...process.argv.slice(2)])]);
if (typecheck !== 0) console.error(`npm test: the type check failed (exit ${typecheck})`);
process.exitCode = typecheck || tests;
