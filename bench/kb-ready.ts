/**
 * Run by kb-query.ts in a process of its own, so that its peak memory is the knowledge base's alone: starts the
 * knowledge base of a directory as `parley kb ask` and the server do (createKnowledgeBase, its index kept under
 * DATA_DIR), then answers the given questions. With `--change FILE`: after the start, rewrites that FAQ file's first
 * entry and asks for it (the watcher's path: rebuild, which re-indexes the changed file alone).
 * Prints one JSON line: ready time (wall and CPU), how the index came to be (built, loaded, updated), the questions'
 * CPU time, the update's time and whether the changed entry was found, and the peak RSS.
 *
 *   node --import tsx bench/kb-ready.ts KNOWLEDGE_DIR DATA_DIR QUESTIONS_FILE [--change FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createKnowledgeBase } from '../src/kb/index.ts';

export interface ReadyFigures {
  readyMs: number;
  readyCpuMs: number;
  index: string;
  /** CPU time per question, sorted; and of the questions after the first 20 (the code warmed up), sorted. */
  questionCpuMs: number[];
  warmQuestionCpuMs: number[];
  /** With --change: the rebuild's wall time, how the index came to be after it, whether the new text was found first, and the peak RSS after it. */
  update?: { ms: number; index: string; found: boolean; peakRssMiB: number };
  /** Peak RSS once started and the questions answered (before any change). */
  peakRssMiB: number;
}

/** The process's peak resident memory so far, in MiB (Linux). */
function peakRss(): number {
  return Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function main(argv: string[]): Promise<void> {
  const [dir, dataDir, questionsFile] = argv;
  const change = argv.includes('--change') ? argv[argv.indexOf('--change') + 1] : undefined;
  if (!dir || !dataDir || !questionsFile) throw new Error('usage: kb-ready.ts KNOWLEDGE_DIR DATA_DIR QUESTIONS_FILE [--change FILE]');
  const t0 = performance.now();
  const c0 = cpuMs();
  const kb = await createKnowledgeBase({ dir, dataDir, recordGaps: false });
  const readyMs = performance.now() - t0;
  const readyCpuMs = cpuMs() - c0;
  const index = kb.stats().index;
  const questionCpuMs: number[] = [];
  for (const question of readFileSync(questionsFile, 'utf8').split('\n').filter(Boolean)) {
    const c = cpuMs();
    await kb.answer(question, { limit: 10 });
    questionCpuMs.push(cpuMs() - c);
  }
  const warmQuestionCpuMs = questionCpuMs.slice(20).sort((a, b) => a - b);
  questionCpuMs.sort((a, b) => a - b);
  const peakRssMiB = peakRss();
  let update: ReadyFigures['update'];
  if (change) {
    const [first, ...rest] = readFileSync(change, 'utf8').split('\n');
    const entry = JSON.parse(first!) as { id: string; title: string };
    writeFileSync(change, [JSON.stringify({ ...entry, title: `${entry.title} zephyrine` }), ...rest].join('\n'));
    const t = performance.now();
    await kb.rebuild();
    const ms = performance.now() - t;
    const found = (await kb.search('zephyrine', { limit: 1 })).hits[0]?.id === entry.id;
    update = { ms, index: kb.stats().index, found, peakRssMiB: peakRss() };
  }
  await kb.close();
  process.stdout.write(`${JSON.stringify({ readyMs, readyCpuMs, index, questionCpuMs, warmQuestionCpuMs, update, peakRssMiB } satisfies ReadyFigures)}\n`);
}

await main(process.argv.slice(2));
