/**
 * Knowledge-base build time and query latency at 1k, 10k and 100k passages (synthetic, the matcher as used
 * offline): p50 / p99 of `Retriever.search` for realistic questions (some with a typo), plus the index build time.
 * Passages are made from the demo knowledge base's own vocabulary (knowledge/), each word drawn as often as it occurs
 * there, plus catalogue terms (a demo word with a number, like a model name) whose number grows with the base, so
 * a bigger base also has a bigger vocabulary: 4 passages of ~60 words per article, a title, a heading and two example
 * questions each. Then quality at size: StackFAQ's test questions against its threads alone and hidden among the
 * largest synthetic base. Runs in-process; the kept index is written to a temporary directory and removed.
 */
import { statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadKnowledge } from '../src/kb/load.ts';
import { Retriever } from '../src/kb/retriever.ts';
import type { Article } from '../src/kb/types.ts';
import type { Benchmark, BenchOptions } from './run.ts';
import { stackfaq } from './understanding/data.ts';
import type { MatchDoc } from '../src/search/matcher/index.ts';

const QUERIES = 300;

v8.setFlagsFromString('--expose-gc');
/** A full collection, so that the heap figure is what the index keeps, not what building it left behind. */
const collectGarbage = vm.runInNewContext('gc') as () => void;
/** Share of words that are catalogue terms rather than demo words. */
const CATALOGUE_SHARE = 0.1;
const demoKnowledgeDir = path.resolve(import.meta.dirname, '../knowledge');

/** A small deterministic PRNG (mulberry32), so every run measures the same data. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

export const kbQuery: Benchmark = {
  name: 'kb-query',
  description: 'knowledge-base build time and query latency (p50/p99) at 1k, 10k and 100k passages, the matcher',
  async run(options: BenchOptions) {
    const sizes = (process.env.KB_BENCH_SIZES ?? (options.quick ? '1000,10000' : '1000,10000,100000')).split(',').map(Number);
    const counts = await demoWords();
    process.stdout.write(
      `Vocabulary: ${counts.size.toLocaleString('en')} distinct words of the demo knowledge base, with their frequencies, ` +
        `plus catalogue terms (${CATALOGUE_SHARE * 100} % of words); ${QUERIES} questions of 3–6 words per size.\n\n`,
    );
    process.stdout.write(
      'Times are wall clock, CPU time of the process in brackets.\n\n' +
        '| passages | distinct words | build | kept index: first start (build + write) | next start (load) | file | one file changed (update) | p50 | p99 | queries/s (one core) | heap after build (after a full GC; the corpus included) |\n' +
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n',
    );
    let largest: Article[] = [];
    for (const size of sizes) {
      const rand = random(42);
      const word = sampler(counts, Math.max(10, size / 4), rand);
      const articles = corpus(size, rand, word);
      largest = articles;
      const distinct = new Set(articles.flatMap((a) => a.passages.flatMap((p) => p.text.split(/[ .]+/)))).size;
      const t0 = performance.now();
      const c0 = cpuMs();
      const retriever = Retriever.build(articles, { defaultLocale: 'en' });
      const buildMs = performance.now() - t0;
      const buildCpu = cpuMs() - c0;
      collectGarbage();
      const heap = process.memoryUsage().heapUsed;
      // The index kept under DATA_DIR: the first start builds and writes it, the next one loads it.
      const indexDir = await mkdtemp(path.join(os.tmpdir(), 'parley-kb-index-'));
      const t1 = performance.now();
      const c1 = cpuMs();
      Retriever.build(articles, { defaultLocale: 'en', indexDir });
      const firstMs = performance.now() - t1;
      const firstCpu = cpuMs() - c1;
      const t2 = performance.now();
      const c2 = cpuMs();
      const reloaded = Retriever.build(articles, { defaultLocale: 'en', indexDir });
      const nextMs = performance.now() - t2;
      const nextCpu = cpuMs() - c2;
      if (!reloaded.indexLoaded) throw new Error('kb-query: the kept index was not loaded');
      const fileBytes = (await readdir(indexDir)).reduce((sum, name) => sum + statSync(path.join(indexDir, name)).size, 0);
      await rm(indexDir, { recursive: true, force: true });
      // One file changed (an article rewritten): its passages re-indexed alone, as the knowledge base does on a change.
      const target = articles[Math.floor(articles.length / 2)]!;
      const rewritten: Article = { ...target, title: `${target.title} zephyrine`, passages: target.passages.map((p) => ({ ...p, title: `${p.title} zephyrine` })) };
      const t3 = performance.now();
      const updated = reloaded.update(articles.map((a) => (a === target ? rewritten : a)), new Set([target.id]));
      const updateMs = performance.now() - t3;
      if (!updated || (await updated.search('zephyrine', { limit: 1 })).hits[0]?.articleId !== target.id) throw new Error('kb-query: the changed article was not found after the update');
      // Questions: 3–6 words from one passage of a random article, every third with a typo in one word.
      const questions = Array.from({ length: QUERIES }, (_, i) => {
        const passage = articles[Math.floor(rand() * articles.length)]!.passages[Math.floor(rand() * 4)]!;
        const words = passage.text.replace(/\./g, '').split(' ');
        const picked = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => words[Math.floor(rand() * words.length)]!);
        if (i % 3 === 0 && picked[0]!.length > 4) picked[0] = typo(picked[0]!, rand);
        return picked.join(' ');
      });
      for (const q of questions.slice(0, 20)) await retriever.search(q); // warm-up
      const times: number[] = [];
      const cpuTimes: number[] = [];
      const all = performance.now();
      for (const q of questions) {
        const s = performance.now();
        const c = cpuMs();
        await retriever.search(q, { limit: 5 });
        cpuTimes.push(cpuMs() - c);
        times.push(performance.now() - s);
      }
      const total = performance.now() - all;
      times.sort((x, y) => x - y);
      cpuTimes.sort((x, y) => x - y);
      process.stdout.write(
        `| ${size.toLocaleString('en')} | ${distinct.toLocaleString('en')} | ${(buildMs / 1000).toFixed(1)} s (${(buildCpu / 1000).toFixed(1)} s) | ${(firstMs / 1000).toFixed(1)} s (${(firstCpu / 1000).toFixed(1)} s) | ${(nextMs / 1000).toFixed(2)} s (${(nextCpu / 1000).toFixed(2)} s) | ${(fileBytes / 2 ** 20).toFixed(0)} MiB | ${updateMs.toFixed(0)} ms | ${percentile(times, 50).toFixed(2)} ms (${percentile(cpuTimes, 50).toFixed(2)} ms) | ${percentile(times, 99).toFixed(2)} ms (${percentile(cpuTimes, 99).toFixed(2)} ms) | ${Math.round((QUERIES / total) * 1000)} | ${(heap / 2 ** 20).toFixed(0)} MiB |\n`,
      );
    }
    const quality = await qualityAtSize(largest);
    process.stdout.write(`\n${quality ?? 'Quality at size: StackFAQ is not under ../shared/datasets (DATASETS_DIR); not measured.'}\n`);
  },
};

// Runnable alone: node --import tsx bench/kb-query.ts
if (import.meta.url === `file://${process.argv[1]}`) await kbQuery.run({ quick: process.argv.includes("--quick") });
