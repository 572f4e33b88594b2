/**
 * Parley Studio's waits, on the demo's flows and knowledge as a draft set: the first preview of a set (the files
 * written out, the knowledge base indexed, the flows loaded, the simulator's in-memory database started and the
 * greeting), a preview turn after it, and running every conversation test from the page (on the preview's own
 * simulator, so no second database starts). Each is measured in a fresh StudioPreview, RUNS times; the median is
 * printed beside `parley flows test` over the same files, the command an editor without the studio runs.
 * Then the preview with an editor's draft article, at the demo's size and with generated articles added (10,000
 * passages more): its first question and a question after each further edit of the article, with the drafts layered
 * over the published release's index (as the server runs it) beside the whole draft set indexed anew (as it ran
 * before, and still runs for an app given its own knowledge base).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../src/infra/logger.ts';
import { loadFlows } from '../src/engine/load-flows.ts';
import { hashFiles, readFileSet, writeFileSet, type FileSet } from '../src/studio/file-set.ts';
import { StudioPreview } from '../src/studio/preview.ts';
import type { PublishedSet } from '../src/studio/release-server.ts';
import { SwitchingKnowledgeBase } from '../src/studio/switching-knowledge.ts';
import type { Benchmark } from './run.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await work();
  return [performance.now() - started, result];
}

export const studioPreview: Benchmark = {
  name: 'studio-preview',
  description: "Parley Studio: the first preview of a draft set, a turn after it, and the conversation tests run from the page",
  async run({ quick }) {
    const runs = quick ? 1 : 5;
    const files = await readFileSet({ flows: path.join(repoRoot, 'flows'), knowledge: path.join(repoRoot, 'knowledge') });
    const first: number[] = [];
    const turn: number[] = [];
    const tests: number[] = [];
    for (let i = 0; i < runs; i++) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-bench-studio-'));
      const preview = new StudioPreview({ dataDir, minConfidence: 0.5, demoOrders: true, logger: createLogger({ level: 'silent', redact: true }) });
      try {
        first.push((await timed(() => preview.turn('bench', files, { conversationId: 'c' })))[0]);
        turn.push((await timed(() => preview.turn('bench', files, { conversationId: 'c', text: 'when are you open?' })))[0]);
        const [ms, outcomes] = await timed(() => preview.runTests(files));
        if (outcomes.some((file) => file.problems.length > 0 || file.tests.some((test) => test.failure))) throw new Error('a demo conversation test failed');
        tests.push(ms);
      } finally {
        await preview.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    const cli = median(Array.from({ length: runs }, () => {
      const started = performance.now();
      const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'flows', 'test'], { cwd: repoRoot, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`parley flows test failed: ${result.stderr}`);
      return performance.now() - started;
    }));
    const ms = (value: number) => `${Math.round(value)} ms`;
    process.stdout.write([
      `first preview of a draft set   ${ms(median(first))}  (median of ${runs})`,
      `a preview turn after it        ${ms(median(turn))}`,
      `every conversation test        ${ms(median(tests))}  (parley flows test: ${ms(cli)}, ratio ${(median(tests) / cli).toFixed(2)})`,
      '',
      'a draft article (median of 3 runs; whole: the draft set indexed anew, layered: over the release\'s index)',
      '| articles | whole: first question | layered | whole: after an edit | layered |',
      '| ---: | ---: | ---: | ---: | ---: |',
    ].join('\n') + '\n');
    for (const generated of quick ? [0] : [0, 2_500]) {
      const set = withGenerated(files, generated);
      const whole = await drafting(set, false, Math.min(runs, 3));
      const layered = await drafting(set, true, Math.min(runs, 3));
      const articles = Object.keys(set).filter((name) => name.startsWith('knowledge/')).length;
      process.stdout.write(`| ${articles.toLocaleString('en')} files | ${ms(whole.first)} | ${ms(layered.first)} | ${ms(whole.edit)} | ${ms(layered.edit)} |\n`);
    }
    process.stdout.write('\n');
  },
};

const DRAFTED = 'knowledge/support/recycling-and-trade-in.md';
const QUESTION = 'Do you buy back used devices?';

/** The set with one edit of the recycling article (the nth: each edit is new to the preview). */
function edited(files: FileSet, n: number): FileSet {
  return { ...files, [DRAFTED]: files[DRAFTED]!.replace("We don't buy back used devices at the moment.", `We buy back used devices: a phone gets a voucher of up to €${100 + n}.`) };
}

/** The demo's files and `count` generated articles of four sections each (words of the demo's kind, model numbers). */
function withGenerated(files: FileSet, count: number): FileSet {
  const words = 'battery charger cable screen laptop phone headset warranty order delivery return refund invoice account password store hub speaker camera adapter firmware'.split(' ');
  let seed = 1;
  const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
  const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]! + (random() < 0.1 ? String(Math.floor(random() * 500)) : '')).join(' ');
  const out: Record<string, string> = { ...files };
  for (let a = 0; a < count; a++) {
    const sections = Array.from({ length: 3 }, () => `## ${text(2)}\n${text(30)}.\n`).join('\n');
    out[`knowledge/generated/a${a}.md`] = `---\ntitle: ${text(4)}\nquestions:\n  - ${text(6)}?\n---\n${text(30)}.\n\n${sections}`;
  }
  return out;
}

/**
 * A fresh preview on the set with a draft article: the first question (the release's understanding index is built
 * then, or loaded when kept from an earlier start), then a question after each of three further edits. The published
 * release (the set without the draft) is loaded first, as a running server has it.
 */
async function drafting(files: FileSet, layered: boolean, runs: number): Promise<{ first: number; edit: number }> {
  const first: number[] = [];
  const edit: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-bench-studio-'));
    const logger = createLogger({ level: 'silent', redact: true });
    const release = path.join(dataDir, 'releases', '1');
    await writeFileSet(files, release);
    const knowledge = await SwitchingKnowledgeBase.open(path.join(release, 'knowledge'), { dataDir, minConfidence: 0.5, recordGaps: false, logger });
    const published: PublishedSet = { release: 1, hashes: hashFiles(files), flows: await loadFlows(path.join(release, 'flows')), knowledge };
    const preview = new StudioPreview({ dataDir, minConfidence: 0.5, demoOrders: true, logger, ...(layered ? { published: () => published } : {}) });
    try {
      const [ms, turn] = await timed(() => preview.turn('bench', edited(files, 0), { conversationId: 'c', text: QUESTION }));
      if (!turn.replies.some((reply) => reply.text?.includes('voucher'))) throw new Error('the preview did not answer from the draft');
      first.push(ms);
      for (let n = 1; n <= 3; n++) edit.push((await timed(() => preview.turn('bench', edited(files, n), { conversationId: 'c', text: QUESTION })))[0]);
    } finally {
      await preview.close();
      await knowledge.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { first: median(first), edit: median(edit) };
}
