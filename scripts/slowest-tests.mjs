#!/usr/bin/env node
// Writes test/slowest-files.txt, the order vitest starts the slowest test files in (test/support/slowest-first.ts), from
// a run's JSON report: `npx vitest run --reporter=json --outputFile=/tmp/report.json`, then
// `node scripts/slowest-tests.mjs /tmp/report.json`. Files of 10 s or more are listed; a file that failed (a timeout
// is a failure's figure, a failed beforeAll none) keeps the figure it had.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const listFile = path.join(root, 'test/slowest-files.txt');
const [reportPath] = process.argv.slice(2);
if (!reportPath) {
  console.error('usage: node scripts/slowest-tests.mjs <vitest JSON report>');
  process.exit(2);
}
const previous = new Map(
  readFileSync(listFile, 'utf8').split('\n').map((line) => /^\s*(\d+(?:\.\d+)?)\s+(\S+)\s*$/.exec(line)).filter(Boolean).map((m) => [m[2], Number(m[1])]),
);
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const seconds = new Map();
for (const file of report.testResults) {
  const name = path.relative(root, file.name).split(path.sep).join('/');
  const measured = (file.endTime - file.startTime) / 1000;
  seconds.set(name, file.status === 'passed' ? measured : (previous.get(name) ?? measured));
}
const header = readFileSync(listFile, 'utf8').split('\n').filter((line) => line.startsWith('#'));
const lines = [...seconds].filter(([, s]) => s >= 10).sort((a, b) => b[1] - a[1]).map(([name, s]) => `${Math.round(s)} ${name}`);
writeFileSync(listFile, [...header, ...lines, ''].join('\n'));
console.log(`${listFile}: ${lines.length} files`);
