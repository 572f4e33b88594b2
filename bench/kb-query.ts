/**
 * Knowledge-base query latency at 1k, 10k and 100k passages (synthetic, lexical retrieval as used offline):
 * p50 / p99 of `Retriever.search` for realistic questions (some with a typo), plus the index build time.
 * Passages are made from a Zipf-distributed synthetic vocabulary: 4 passages of ~60 words per article, a title and
 * two example questions each. Runs in-process; nothing is written to disk.
 */
import { performance } from 'node:perf_hooks';
import { Retriever } from '../src/kb/retriever.ts';
import type { Article } from '../src/kb/types.ts';
import type { Benchmark } from './run.ts';

const SIZES = (process.env.KB_BENCH_SIZES ?? "1000,10000,100000").split(",").map(Number);
const QUERIES = 300;
const VOCABULARY = 20_000;

/** A small deterministic PRNG (mulberry32), so every run measures the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vi', 'so', 'pe', 'dar', 'ben', 'tol', 'gri', 'fas', 'wen', 'chu', 'sta', 'plo', 'ix', 'ome'];

function vocabulary(rand: () => number): string[] {
  const words = new Set<string>();
  while (words.size < VOCABULARY) {
    const n = 2 + Math.floor(rand() * 3);
    words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

/** Zipf-like: word i drawn with probability ∝ 1/(i+10). */
function sampler(words: string[], rand: () => number): () => string {
  const cumulative: number[] = [];
  let sum = 0;
  for (let i = 0; i < words.length; i++) cumulative.push((sum += 1 / (i + 10)));
  return () => {
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
}

function corpus(passages: number, rand: () => number, word: () => string): Article[] {
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

function typo(word: string, rand: () => number): string {
  const i = 1 + Math.floor(rand() * (word.length - 2));
  return word.slice(0, i) + word.slice(i + 1);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const kbQuery: Benchmark = {
  name: 'kb-query',
  description: 'knowledge-base query latency (p50/p99) at 1k, 10k and 100k passages, lexical retrieval',
  async run() {
    process.stdout.write('| passages | build | p50 | p99 | queries/s (one core) | heap after build |\n| ---: | ---: | ---: | ---: | ---: | ---: |\n');
    for (const size of SIZES) {
      const rand = random(42);
      const word = sampler(vocabulary(rand), rand);
      const articles = corpus(size, rand, word);
      const t0 = performance.now();
      const retriever = Retriever.build(articles, { defaultLocale: 'en' });
      const buildMs = performance.now() - t0;
      const heap = process.memoryUsage().heapUsed;
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
      const all = performance.now();
      for (const q of questions) {
        const s = performance.now();
        await retriever.search(q, { limit: 5 });
        times.push(performance.now() - s);
      }
      const total = performance.now() - all;
      times.sort((x, y) => x - y);
      process.stdout.write(
        `| ${size.toLocaleString('en')} | ${(buildMs / 1000).toFixed(1)} s | ${percentile(times, 50).toFixed(2)} ms | ${percentile(times, 99).toFixed(2)} ms | ${Math.round((QUERIES / total) * 1000)} | ${(heap / 2 ** 20).toFixed(0)} MiB |\n`,
      );
    }
  },
};

// Runnable alone: node --import tsx bench/kb-query.ts
if (import.meta.url === `file://${process.argv[1]}`) await kbQuery.run();
