/**
 * The knowledge base at 1k, 10k and 100k passages (synthetic): the matcher beside MiniSearch (the engine before it,
 * `ranker: 'lexical'`) in the same run — build time, p50 / p99 of `Retriever.search` for realistic questions (some
 * with a typo) and the heap the index keeps — and the knowledge base as `parley kb ask` and the server start it, each
 * start in a process of its own (kb-ready.ts): ready when nothing is kept yet (build and keep) and when nothing
 * changed (load), the peak RSS of each, and one changed file's update (re-indexed alone, visible to the next question).
 * Passages are made from the demo knowledge base's own vocabulary (knowledge/), each word drawn as often as it occurs
 * there, plus catalogue terms (a demo word with a number, like a model name) whose number grows with the base, so
 * a bigger base also has a bigger vocabulary: 4 passages of ~60 words per article, a title, a heading and two example
 * questions each. The knowledge base reads them as JSON Lines FAQ files (one entry per passage, 100 files). Then
 * quality at size: StackFAQ's test questions against its threads alone and hidden among the largest synthetic base.
 * Temporary directories are removed.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { seededRandom } from '../src/infra/seeded-random.ts';
import { loadKnowledge } from '../src/kb/load.ts';
import { Retriever } from '../src/kb/retriever.ts';
import type { Article } from '../src/kb/types.ts';
import type { Benchmark, BenchOptions } from './run.ts';
import { stackfaq } from './understanding/data.ts';
import type { MatchDoc } from '../src/search/matcher/index.ts';
import type { ReadyFigures } from './kb-ready.ts';

const QUERIES = 300;

v8.setFlagsFromString('--expose-gc');
/** A full collection, so that the heap figure is what the index keeps, not what building it left behind. */
const collectGarbage = vm.runInNewContext('gc') as () => void;
/** Share of words that are catalogue terms rather than demo words. */
const CATALOGUE_SHARE = 0.1;
const demoKnowledgeDir = path.resolve(import.meta.dirname, '../knowledge');

/** A small deterministic PRNG, so every run measures the same data. */
export const random = seededRandom;

/** Every word of the demo knowledge base (titles, headings, questions, passages), as often as it occurs. */
export async function demoWords(): Promise<Map<string, number>> {
  const { articles } = await loadKnowledge(demoKnowledgeDir);
  const counts = new Map<string, number>();
  for (const article of articles) {
    for (const passage of article.passages) {
      const text = [passage.heading ?? '', passage.text, article.title, ...article.questions].join(' ').toLowerCase();
      for (const word of text.match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Draws demo words with their demo frequency; one word in ten is a catalogue term instead (a demo word and a number
 * below `catalogue`, Zipf-like: low numbers are common).
 */
export function sampler(counts: Map<string, number>, catalogue: number, rand: () => number): () => string {
  const words = [...counts.keys()];
  const cumulative: number[] = [];
  let sum = 0;
  for (const word of words) cumulative.push((sum += counts.get(word)!));
  const demo = () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  return () => {
    if (rand() >= CATALOGUE_SHARE) return demo();
    const n = Math.floor(Math.exp(rand() * Math.log(catalogue)));
    return `${demo()}${n}`;
  };
}

export function corpus(passages: number, rand: () => number, word: () => string): Article[] {
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  const articles: Article[] = [];
  for (let a = 0; a * 4 < passages; a++) {
    const id = `a${a}`;
    const title = sentence(4);
    const questions = [`${sentence(6)}?`, `${sentence(5)}?`];
    articles.push({
      id, title, questions, tags: [], locale: 'en', file: 'synthetic', passages: Array.from({ length: 4 }, (_, n) => ({
        id: `${id}#${n}`, articleId: id, title, heading: sentence(2), questions, tags: [], locale: 'en', text: `${sentence(30)}. ${sentence(30)}.`, file: 'synthetic', line: 1,
      })),
    });
  }
  return articles;
}

/** A StackFAQ thread (title, answers) as a one-passage article. */
function threadArticle(doc: MatchDoc): Article {
  const title = doc.fields.find((f) => f.kind === 'title')?.text ?? doc.id;
  const text = doc.fields.filter((f) => f.kind === 'text').map((f) => f.text).join('\n');
  return {
    id: doc.id, title, questions: [], tags: [], locale: 'en', file: 'stackfaq',
    passages: [{ id: `${doc.id}#0`, articleId: doc.id, title, heading: null, questions: [], tags: [], locale: 'en', text, file: 'stackfaq', line: 1 }],
  };
}

/**
 * Quality at size: StackFAQ's test questions against its 125 threads alone and hidden among `distractors` synthetic
 * passages; hit@1 should stay within 0.02. Null when the data set is absent.
 */
async function qualityAtSize(distractors: Article[]): Promise<string | null> {
  const sets = await stackfaq();
  const plain = sets?.find((s) => s.name.startsWith('StackFAQ, title + answers'));
  const test = plain?.parts.find((p) => p.label === 'test')?.tasks[0];
  if (!test) return null;
  const threads = test.docs.map(threadArticle);
  const hit1 = async (articles: Article[]) => {
    const retriever = Retriever.build(articles, { defaultLocale: 'en' });
    let hits = 0;
    for (const q of test.queries) if (q.expected.includes((await retriever.search(q.text, { limit: 1 })).hits[0]?.articleId ?? '')) hits++;
    return hits / test.queries.length;
  };
  const alone = await hit1(threads);
  const hidden = await hit1([...threads, ...distractors]);
  const passages = distractors.reduce((sum, a) => sum + a.passages.length, 0);
  return `StackFAQ test questions (${test.queries.length}): hit@1 ${alone.toFixed(3)} against its ${threads.length} threads alone, ${hidden.toFixed(3)} hidden among ${passages.toLocaleString('en')} synthetic passages (${(hidden - alone >= 0 ? '+' : '') + (hidden - alone).toFixed(3)}).`;
}

function typo(word: string, rand: () => number): string {
  const i = 1 + Math.floor(rand() * (word.length - 2));
  return word.slice(0, i) + word.slice(i + 1);
}

/** CPU time of this process so far (user and system), in ms: less moved by other work on a shared machine than wall time. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Questions of 3–6 words from one passage of a random article, every third with a typo in one word. */
function questionsOf(articles: readonly Article[], rand: () => number): string[] {
  return Array.from({ length: QUERIES }, (_, i) => {
    const passage = articles[Math.floor(rand() * articles.length)]!.passages[Math.floor(rand() * 4)]!;
    const words = passage.text.replace(/\./g, '').split(' ');
    const picked = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => words[Math.floor(rand() * words.length)]!);
    if (i % 3 === 0 && picked[0]!.length > 4) picked[0] = typo(picked[0]!, rand);
    return picked.join(' ');
  });
}

interface EngineFigures {
  buildMs: number;
  buildCpu: number;
  heapMiB: number;
  times: number[];
  cpuTimes: number[];
}

/** One engine in this process: its build, the heap it keeps (after a full GC, the corpus included) and each question's time. */
async function measureEngine(articles: readonly Article[], questions: readonly string[], ranker: 'matcher' | 'lexical'): Promise<EngineFigures> {
  collectGarbage();
  const t0 = performance.now();
  const c0 = cpuMs();
  const retriever = Retriever.build(articles, { defaultLocale: 'en', ranker });
  const buildMs = performance.now() - t0;
  const buildCpu = cpuMs() - c0;
  collectGarbage();
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  for (const q of questions.slice(0, 20)) await retriever.search(q); // warm-up
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (const q of questions) {
    const s = performance.now();
    const c = cpuMs();
    await retriever.search(q, { limit: 5 });
    cpuTimes.push(cpuMs() - c);
    times.push(performance.now() - s);
  }
  times.sort((x, y) => x - y);
  cpuTimes.sort((x, y) => x - y);
  return { buildMs, buildCpu, heapMiB, times, cpuTimes };
}

/** Files of FAQ entries the knowledge base reads: one entry per passage (its heading opens its answer), 100 files. */
export async function writeFaq(articles: readonly Article[], dir: string): Promise<string[]> {
  const entries = articles.flatMap((a) =>
    a.passages.map((p, n) => JSON.stringify({ id: `${a.id}-${n}`, title: a.title, answer: `${p.heading ?? ''}. ${p.text}`, questions: n === 0 ? [...a.questions] : [] })),
  );
  const perFile = Math.ceil(entries.length / 100);
  const files: string[] = [];
  for (let f = 0; f * perFile < entries.length; f++) {
    const file = path.join(dir, `faq-${String(f).padStart(3, '0')}.jsonl`);
    await writeFile(file, `${entries.slice(f * perFile, (f + 1) * perFile).join('\n')}\n`);
    files.push(file);
  }
  return files;
}

/** A start of the knowledge base in a process of its own (kb-ready.ts). */
function startApart(knowledgeDir: string, dataDir: string, questionsFile: string, change?: string): ReadyFigures {
  const script = path.join(import.meta.dirname, 'kb-ready.ts');
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, knowledgeDir, dataDir, questionsFile, ...(change ? ['--change', change] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`kb-query: kb-ready.ts failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ReadyFigures;
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const s2 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ms2 = (ms: number) => `${ms.toFixed(2)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

export const kbQuery: Benchmark = {
  name: 'kb-query',
  description: 'the knowledge base at 1k, 10k and 100k passages: matcher vs MiniSearch build, p50/p99, heap; cold and warm ready, peak RSS, one file changed',
  async run(options: BenchOptions) {
    const sizes = (process.env.KB_BENCH_SIZES ?? (options.quick ? '1000,10000' : '1000,10000,100000')).split(',').map(Number);
    const counts = await demoWords();
    process.stdout.write(
      `Vocabulary: ${counts.size.toLocaleString('en')} distinct words of the demo knowledge base, with their frequencies, ` +
        `plus catalogue terms (${CATALOGUE_SHARE * 100} % of words); ${QUERIES} questions of 3–6 words per size.\n\n`,
    );
    const engines: string[] = [];
    const starts: string[] = [];
    let largest: Article[] = [];
    for (const size of sizes) {
      const rand = random(42);
      const word = sampler(counts, Math.max(10, size / 4), rand);
      const articles = corpus(size, rand, word);
      largest = articles;
      const distinct = new Set(articles.flatMap((a) => a.passages.flatMap((p) => p.text.split(/[ .]+/)))).size;
      const questions = questionsOf(articles, rand);
      process.stderr.write(`kb-query: ${size} passages, the matcher\n`);
      const m = await measureEngine(articles, questions, 'matcher');
      process.stderr.write(`kb-query: ${size} passages, MiniSearch\n`);
      const l = await measureEngine(articles, questions, 'lexical');
      engines.push(
        `| ${size.toLocaleString('en')} | ${distinct.toLocaleString('en')} | ${s1(m.buildMs)} (${s1(m.buildCpu)}) | ${s1(l.buildMs)} (${s1(l.buildCpu)}) | ${ratio(m.buildCpu, l.buildCpu)} ` +
          `| ${ms2(percentile(m.times, 50))} (${ms2(percentile(m.cpuTimes, 50))}) | ${ms2(percentile(l.times, 50))} (${ms2(percentile(l.cpuTimes, 50))}) | ${ratio(percentile(m.cpuTimes, 50), percentile(l.cpuTimes, 50))} ` +
          `| ${ms2(percentile(m.times, 99))} (${ms2(percentile(m.cpuTimes, 99))}) | ${ms2(percentile(l.times, 99))} (${ms2(percentile(l.cpuTimes, 99))}) | ${ratio(percentile(m.cpuTimes, 99), percentile(l.cpuTimes, 99))} ` +
          `| ${m.heapMiB.toFixed(0)} MiB | ${l.heapMiB.toFixed(0)} MiB |`,
      );
      // The knowledge base as `kb ask` and the server start it: nothing kept yet, then nothing changed, then one file changed.
      const scratch = await mkdtemp(path.join(os.tmpdir(), 'parley-kb-bench-'));
      try {
        const knowledgeDir = path.join(scratch, 'knowledge');
        const dataDir = path.join(scratch, 'data');
        await mkdir(knowledgeDir);
        const files = await writeFaq(articles, knowledgeDir);
        const questionsFile = path.join(scratch, 'questions.txt');
        await writeFile(questionsFile, `${questions.join('\n')}\n`);
        process.stderr.write(`kb-query: ${size} passages, the knowledge base started cold, then warm\n`);
        const cold = startApart(knowledgeDir, dataDir, questionsFile);
        const indexDir = path.join(dataDir, 'kb', 'index');
        const keptBytes = (await readdir(indexDir)).reduce((sum, name) => sum + statSync(path.join(indexDir, name)).size, 0);
        const warm = startApart(knowledgeDir, dataDir, questionsFile, files[Math.floor(files.length / 2)]);
        if (cold.index !== 'built' || warm.index !== 'loaded') throw new Error(`kb-query: expected a built then a loaded index, got ${cold.index} and ${warm.index}`);
        if (!warm.update?.found) throw new Error('kb-query: the changed entry was not found after the update');
        // A restart after that change: the kept index loaded, the changed file layered over it.
        const restart = startApart(knowledgeDir, dataDir, questionsFile);
        const q = warm.questionCpuMs;
        starts.push(
          `| ${size.toLocaleString('en')} | ${files.length} | ${s1(cold.readyMs)} (${s1(cold.readyCpuMs)}) | ${cold.peakRssMiB.toFixed(0)} MiB | ${s2(warm.readyMs)} (${s2(warm.readyCpuMs)}) | ${warm.peakRssMiB.toFixed(0)} MiB ` +
            `| ${(keptBytes / 2 ** 20).toFixed(0)} MiB | ${warm.update.ms.toFixed(0)} ms (${warm.update.index}), peak ${warm.update.peakRssMiB.toFixed(0)} MiB | ${s2(restart.readyMs)} (${s2(restart.readyCpuMs)}), ${restart.index}, ${restart.peakRssMiB.toFixed(0)} MiB | ${ms2(percentile(q, 50))} / ${ms2(percentile(q, 99))}; after 20: ${ms2(percentile(warm.warmQuestionCpuMs, 50))} / ${ms2(percentile(warm.warmQuestionCpuMs, 99))} ` +
            `| ${ratio(cold.readyCpuMs, l.buildCpu)} / ${ratio(warm.readyCpuMs, l.buildCpu)} |`,
        );
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    }
    process.stdout.write(
      'In this process, the matcher beside MiniSearch (the engine before it) on the same passages and questions. Times are wall clock, CPU time of the process in brackets; ratios of CPU times, the matcher over MiniSearch.\n\n' +
        '| passages | distinct words | matcher build | MiniSearch build | ratio | matcher p50 | MiniSearch p50 | ratio | matcher p99 | MiniSearch p99 | ratio | matcher heap | MiniSearch heap |\n' +
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
        `${engines.join('\n')}\n\n` +
        '(Heap: after a full GC, the corpus included.) The knowledge base started as `kb ask` and the server start it (createKnowledgeBase over JSON Lines FAQ files, the index kept under DATA_DIR), each start a process of its own: ' +
        'cold = nothing kept yet (parse, build, keep), warm = nothing changed since (load); then, in the warm process, one file (1 % of the entries) rewritten and the base rebuilt as its watcher does, and a restart after that change; questions answered with `kb.answer` in the warm process. ' +
        'MiniSearch has no kept index: every start builds it, so both starts are compared with its build.\n\n' +
        '| passages | files | cold ready | peak RSS | warm ready | peak RSS | kept files | one file changed: update, peak RSS after | restart after it: ready, index, peak RSS | a question, CPU p50 / p99: all, and after the first 20 | cold / warm ready vs MiniSearch build (CPU) |\n' +
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' +
        `${starts.join('\n')}\n`,
    );
    const quality = await qualityAtSize(largest);
    process.stdout.write(`\n${quality ?? 'Quality at size: StackFAQ is not under ../shared/datasets (DATASETS_DIR); not measured.'}\n`);
  },
};

// Runnable alone: node --import tsx bench/kb-query.ts
if (import.meta.url === `file://${process.argv[1]}`) await kbQuery.run({ quick: process.argv.includes("--quick") });
