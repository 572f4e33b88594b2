/**
 * `parley flows check` on 1,000 generated flow files (about 12,000 steps): each flow asks, branches, sets,
 * says with buttons that start other flows and jumps to another flow, so every analysis has work to do; every
 * 50th flow reads a variable nothing sets, so 20 errors are reported and printed. The demo knowledge base
 * (./knowledge) is read once for the keyword check, as the command does by default. Measured
 * twice: the check in this process (loader + analyses, files already on disk), and the whole command as an
 * editor runs it (`node bin/parley.js flows check DIR`: Node start-up and module loading included). The target is
 * under 2 s for the command. Beside it, a bare Node process that only parses the same files with the same YAML
 * library: the ratio between the two carries from one machine to another, where the milliseconds do not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkFlowsDir, readFlowSources } from '../src/editor/check-flows.ts';
import { buildFlowSet } from '../src/engine/flow-set.ts';
import type { Benchmark } from './run.ts';

const FILES = 1_000;
const RUNS = 5;
const repoRoot = path.resolve(import.meta.dirname, '..');

/** One generated flow; `i` picks its neighbours, so buttons and gotos form one connected set. */
export function generatedFlow(i: number, total: number): string {
  const next = `flow_${(i + 1) % total}`;
  const other = `flow_${(i * 7 + 3) % total}`;
  return `# yaml-language-server: $schema=../schemas/flow.schema.json
flow: flow_${i}
description: Generated flow ${i} for the flows check benchmark.
triggers:
  keywords: [topic${i}, "subject ${i}"]
  examples: ["tell me about item number ${i}"]
steps:
  - say: "Hello, this is flow ${i}."
  - id: ask_email
    ask: "What's your email address?"
    var: email_${i}
    validate: email
    retry: "That doesn't look like an email address."
    on_fail: { goto: ${other} }
  - id: ask_count
    ask: "How many?"
    var: count_${i}
    validate: { type: number, min: 1, max: 10 }
  - if: "count_${i} > 5 and email_${i} contains '@example'"
    then:
      - set: { tier_${i}: big, note_${i}: "{{email_${i}}} wants {{count_${i}}}" }
      - say: "A big order: {{note_${i}}}"
    else:
      set: { tier_${i}: small }
  - say: "Thanks, {{email_${i}}}: {{tier_${i}}}${i % 50 === 0 ? ` {{typo_${i}}}` : ''}."
    buttons:
      - { title: Next topic, payload: ${next} }
      - { title: Other topic, payload: ${other} }
  - if: "tier_${i} == 'big'"
    then: { goto: ${next} }
  - handoff: "flow ${i} for {{email_${i}}}"
`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export const flowsCheck: Benchmark = {
  name: 'flows-check',
  description: `parley flows check on ${FILES.toLocaleString('en')} generated flow files (target: under 2 s)`,
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-flows-'));
    try {
      for (let i = 0; i < FILES; i++) writeFileSync(path.join(dir, `flow-${String(i).padStart(4, '0')}.yaml`), generatedFlow(i, FILES));

      const inProcess: number[] = [];
      let summary = { files: 0, flows: 0, errors: 0, warnings: 0 };
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const result = await checkFlowsDir(dir, process.cwd(), { knowledgeDir: path.join(repoRoot, 'knowledge') });
        inProcess.push(performance.now() - started);
        const errors = result.problems.filter((p) => p.severity === 'error').length;
        summary = { files: result.files, flows: result.flows, errors, warnings: result.problems.length - errors };
      }

      // The engine's loader alone (YAML, schema, compile, cross-file checks): the part the analyses add to.
      const sources = await readFlowSources(dir);
      const loader: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        buildFlowSet(sources);
        loader.push(performance.now() - started);
      }

      const command: number[] = [];
      let exit: number | null = null;
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const child = spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'flows', 'check', dir], { cwd: repoRoot, encoding: 'utf8' });
        command.push(performance.now() - started);
        exit = child.status;
      }

      // Baseline for the ratio, which carries across machines where the milliseconds do not: a bare Node process
      // that reads the same files and parses them with the same YAML library, nothing else.
      const bareParse = `import { readdirSync, readFileSync } from 'node:fs'; import { parse } from 'yaml';
        const dir = process.argv[1]; for (const f of readdirSync(dir)) parse(readFileSync(dir + '/' + f, 'utf8'));`;
      const baseline: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        const child = spawnSync(process.execPath, ['--input-type=module', '-e', bareParse, dir], { cwd: repoRoot, encoding: 'utf8' });
        baseline.push(performance.now() - started);
        if (child.status !== 0) throw new Error(`baseline failed: ${child.stderr}`);
      }

      const ms = (value: number) => `${value.toFixed(0)} ms`;
      process.stdout.write(
        `files: ${summary.files}, flows: ${summary.flows}, reported: ${summary.errors} errors, ${summary.warnings} warnings\n` +
        `check in process (median of ${RUNS}): ${ms(median(inProcess))}  (${(median(inProcess) / summary.files).toFixed(2)} ms per file; runs: ${inProcess.map(ms).join(', ')})\n` +
        `  of which the engine's loader (buildFlowSet, median): ${ms(median(loader))}; the analyses and reporting: ${ms(median(inProcess) - median(loader))}\n` +
        `\`parley flows check\` command (median of ${RUNS}): ${ms(median(command))}  (runs: ${command.map(ms).join(', ')}; exit code ${exit})\n` +
        `baseline: node reading the same files and parsing them with yaml, nothing else (median of ${RUNS}): ${ms(median(baseline))}  (runs: ${baseline.map(ms).join(', ')})\n` +
        `target under 2 s for the command: ${median(command) < 2_000 ? 'met' : 'NOT met'}; in-process share: ${(median(inProcess) / median(command)).toFixed(2)}; command / baseline: ${(median(command) / median(baseline)).toFixed(2)}\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
