import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { isParleyError } from '../../src/core/errors.ts';
import { buildFlowSet, isFlowFile, loadFlows, type FlowIssue } from '../../src/engine/index.ts';
import { demoFlowsDir } from '../support/app.ts';
import { DELETE, FUZZ_SEED, bytes, int, mutate, paths, pick, rng, wrongValue } from './generate.ts';

/**
 * Every field of every demo flow file, broken one at a time (wrong type, missing, huge, binary), plus truncated and
 * binary files: the loader either accepts the set or reports every problem as file:line:col, and nothing else escapes.
 */
const demo = readdirSync(demoFlowsDir).filter(isFlowFile).sort().map((name) => ({ file: `flows/${name}`, source: readFileSync(path.join(demoFlowsDir, name), 'utf8') }));

/** Builds the set; returns the issues it reports (none when it loads), and fails on anything but FLOW_INVALID. */
function issuesOf(files: { file: string; source: string }[], where: string): FlowIssue[] {
  try {
    buildFlowSet(files);
    return [];
  } catch (error) {
    if (!isParleyError(error, 'FLOW_INVALID')) throw new Error(`${where}: ${error instanceof Error ? error.stack : String(error)}`);
    return error.details as FlowIssue[];
  }
}

function expectLocated(issues: FlowIssue[], where: string): void {
  for (const issue of issues) {
    expect(issue.file, where).toMatch(/^flows\/.+\.ya?ml$/);
    expect(Number.isInteger(issue.line) && issue.line >= 1, `${where}: line of ${JSON.stringify(issue)}`).toBe(true);
    expect(Number.isInteger(issue.col) && issue.col >= 1, `${where}: col of ${JSON.stringify(issue)}`).toBe(true);
    expect(issue.message.trim(), where).not.toBe('');
  }
}

describe(`broken flow files (seed ${FUZZ_SEED})`, () => {
  it('the demo flows load clean', () => {
    expect(issuesOf(demo, 'demo')).toEqual([]);
  });

  it('each field of each demo flow file, broken: a located error or a clean load, never an exception', () => {
    const r = rng(FUZZ_SEED + 100);
    let broken = 0;
    for (const [index, { file, source }] of demo.entries()) {
      const document = parse(source) as unknown;
      for (const at of paths(document)) {
        const replacement = pick(r, [DELETE, 'huge', 'binary', 'wrong', 'wrong'] as const);
        const value = replacement === 'huge' ? 'x'.repeat(int(r, 100_000, 300_000)) : replacement === 'binary' ? bytes(r, int(r, 1, 200)).toString('latin1') : replacement === 'wrong' ? wrongValue(r) : DELETE;
        const where = `${file} at ${at.join('.')} (${String(replacement)}; PARLEY_FUZZ_SEED=${FUZZ_SEED})`;
        const mutated = stringify(mutate(document, at, value));
        const files = demo.map((f, i) => (i === index ? { file, source: mutated } : f));
        const issues = issuesOf(files, where);
        expectLocated(issues, where);
        if (issues.length > 0) broken++;
      }
    }
    // Most single breaks are caught (some are harmless: a missing description, an extra keyword).
    expect(broken).toBeGreaterThan(100);
    // Every field of every demo flow, each time over the whole set: tens of seconds on a busy 2-core machine.
  }, 180_000);

  it('truncated and binary files: a located error, never an exception', () => {
    const r = rng(FUZZ_SEED + 101);
    for (let i = 0; i < 200; i++) {
      const index = int(r, 0, demo.length - 1);
      const { file, source } = demo[index]!;
      const kind = pick(r, ['truncated', 'binary', 'spliced'] as const);
      const at = int(r, 0, source.length - 1);
      const broken = kind === 'truncated' ? source.slice(0, at)
        : kind === 'binary' ? bytes(r, int(r, 1, 5000)).toString('latin1')
        : source.slice(0, at) + bytes(r, int(r, 1, 40)).toString('latin1') + source.slice(at);
      const where = `${file} ${kind} at ${at} (case ${i}; PARLEY_FUZZ_SEED=${FUZZ_SEED})`;
      expectLocated(issuesOf(demo.map((f, j) => (j === index ? { file, source: broken } : f)), where), where);
    }
  });

  it('through the loader, from disk: bytes that are not UTF-8 give a located error', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-fuzz-flows-'));
    try {
      for (const { file, source } of demo) await writeFile(path.join(dir, path.basename(file)), source);
      await writeFile(path.join(dir, 'binary.yaml'), bytes(rng(FUZZ_SEED + 102), 3000));
      const error = await loadFlows(dir).then(() => undefined, (e: unknown) => e);
      expect(isParleyError(error, 'FLOW_INVALID')).toBe(true);
      const issues = (error as { details: FlowIssue[] }).details;
      expect(issues.length).toBeGreaterThan(0);
      for (const issue of issues) {
        expect(issue.line).toBeGreaterThanOrEqual(1);
        expect(issue.col).toBeGreaterThanOrEqual(1);
      }
      expect(issues.some((issue) => issue.file.endsWith('binary.yaml'))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
