import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorOptions } from '../../src/cli/simulator-options.ts';
import { loadConfig } from '../../src/config.ts';
import { openSimulator } from '../../src/editor/simulator-effects.ts';
import { formatReport, tally } from '../../src/editor/conversation-tests/report.ts';
import { findTestFiles, runTestFiles, type FileOutcome } from '../../src/editor/conversation-tests/run-tests.ts';
import { yaml } from '../engine/helpers.ts';
import { demoFlowsDir, repoRoot } from '../support/app.ts';

describe('the demo flows\' conversation tests (flows/**/*.test.yaml)', { timeout: 90_000 }, () => {
  it('every demo flow has a test file beside it', () => {
    const names = readdirSync(demoFlowsDir);
    const flows = names.filter((n) => n.endsWith('.yaml') && !n.endsWith('.test.yaml'));
    expect(flows.length).toBeGreaterThan(0);
    for (const flow of flows) expect(names, `${flow} has no conversation test`).toContain(flow.replace(/\.yaml$/, '.test.yaml'));
  });

  it('all pass through the real pipeline', async () => {
    // As `parley flows test` runs them: calls reach the demo order API, answers come from the knowledge directory.
    const options = simulatorOptions(loadConfig({}, repoRoot), { useModel: false });
    const outcomes = await runTestFiles(await findTestFiles(demoFlowsDir), demoFlowsDir, { open: (flows) => openSimulator(flows, options) });
    const { passed, failed } = tally(outcomes);
    expect(failed, formatReport(outcomes)).toBe(0);
    expect(passed).toBeGreaterThanOrEqual(6);
  });
});

const shop = yaml`
  flow: shop
  triggers: { start: true, keywords: [shop] }
  steps:
    - say: "Welcome to the shop!"
    - id: size
      ask: "Which size?"
      var: size
      validate: choice
      buttons: [{ title: Small, payload: s }, { title: Large, payload: l }]
    - if: "size == 'l'"
      then: { handoff: "large order for {{size}}" }
    - say: "Small it is."
`;

const failing = yaml`
  name: Shop (deliberately failing)
  tests:
    - name: passes
      turns:
        - start: true
          bot: ["Welcome to the shop!", "Which size?"]
          buttons: [Small, Large]
    - name: wrong text
      turns:
        - start: true
        - press: Small
          bot: "Large it is."
    - name: wrong state
      turns:
        - start: true
          flow: other
          step: size
        - user: "2"
          vars: { size: s }
          handoff: "small order"
    - name: a button that is not there
      turns:
        - start: true
        - press: Medium
`;

const passingOnly = yaml`
  name: Shop
  tests:
    - name: passes
      turns:
        - start: true
          bot: ["Welcome to the shop!", "Which size?"]
          buttons: [Small, Large]
        - press: Small
          bot: "Small it is."
`;

const malformed = yaml`
  name: Broken
  tests:
    - name: no action
      turns:
        - bot: hi
`;

let dir: string;
let outcomes: FileOutcome[];
let report: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-flow-tests-'));
  writeFileSync(path.join(dir, 'shop.yaml'), shop);
  writeFileSync(path.join(dir, 'shop.test.yaml'), failing);
  writeFileSync(path.join(dir, 'broken.test.yaml'), malformed);
  outcomes = await runTestFiles(await findTestFiles(dir), dir, { cwd: dir });
  report = formatReport(outcomes);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parley flows test: how a failure reads', { timeout: 90_000 }, () => {
  it('counts passes and failures; a malformed file counts as one failure', () => {
    expect(tally(outcomes)).toEqual({ passed: 1, failed: 4 });
    expect(report.split('\n').at(-1)).toBe('1 passed, 4 failed');
  });

  it('shows the expected and the actual reply, at the failing turn\'s file:line', () => {
    expect(report).toContain([
      '  ✗ wrong text',
      '      shop.test.yaml:11:9  turn 2, press: "Small"',
      '        bot: expected 1 reply, got 1 reply',
      '           1 - expected "Large it is."',
      '             + actual   "Small it is."',
    ].join('\n'));
  });

  it('describes flow, step, variables and handoff differences, stopping at the first failing turn', () => {
    expect(report).toContain([
      '  ✗ wrong state',
      '      shop.test.yaml:15:9  turn 1, start',
      "        flow: expected 'other', got 'shop'",
    ].join('\n'));
    expect(report).not.toContain('handoff: expected a reason containing "small order"');
  });

  it('names the buttons on screen when a pressed one is not there', () => {
    expect(report).toContain('press: no button "Medium" on screen; the buttons are: "Small", "Large"');
  });

  it('points at a mistake in a test file', () => {
    expect(report).toContain([
      'broken.test.yaml',
      '  ✗ the test file has mistakes:',
      '      broken.test.yaml:5:9  a turn needs what the customer does: user: "text", press: "Button", or start: true',
    ].join('\n'));
  });

  it('exits 1 on a failure and 0 when all pass, from the command line', () => {
    const run = (target: string) => spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'flows', 'test', target], { cwd: repoRoot, encoding: 'utf8' });
    const failed = run(dir);
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/1 passed, 4 failed\n$/);
    // The demo flows all passing is the pipeline test above; here one passing file is enough to see exit 0.
    const passing = mkdtempSync(path.join(tmpdir(), 'parley-flow-tests-passing-'));
    try {
      writeFileSync(path.join(passing, 'shop.yaml'), shop);
      writeFileSync(path.join(passing, 'shop.test.yaml'), passingOnly);
      const passed = run(passing);
      expect(passed.status, passed.stdout + passed.stderr).toBe(0);
      expect(passed.stdout).toMatch(/1 passed, 0 failed\n$/);
    } finally {
      rmSync(passing, { recursive: true, force: true });
    }
  });
});
