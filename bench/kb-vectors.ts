/**
 * Search by meaning (embeddings, with OpenAI configured) at 10k and 100k passages of 1,536 dimensions (what
 * text-embedding-3-small returns), and at 100k with 512 (its `dimensions` option), in the same run: the exact scan of
 * float32 vectors Parley did before the IVF index; the IVF search as the eighth session made it (one call into
 * WebAssembly per row, each passage's language read from its locale, every article found sorted) over the store as
 * built; and the IVF search now over the store as built and as loaded from its file (each list's rows together) —
 * p50 / p99 per question (20 articles of the question's language asked for, as the retriever does), recall@10
 * against the exact scan, the vectors' memory and the process's RSS — and the knowledge base's own path through
 * Embedder.index with a local OpenAI-compatible server: a cold start from the embeddings cache (every vector already
 * paid for, none in the kept index), a warm start (the kept index loaded), and one changed file's 1% of the passages
 * embedded and added. The vectors are synthetic, clustered as a knowledge base's are
 * (test/kb/support/clustered-vectors.ts). Temporary directories are removed.
 */
import { appendFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { contentHash } from '../src/kb/openai/embedding-cache.ts';
import { Embedder, embeddingText } from '../src/kb/openai/embedder.ts';
import { VectorIndex, type VectorHit } from '../src/kb/openai/vector-index.ts';
import type { VectorStore } from '../src/kb/openai/vector-store.ts';
import type { Passage } from '../src/kb/types.ts';
import { language } from '../src/search/text.ts';
import { clusteredVectors } from '../test/kb/support/clustered-vectors.ts';
import { startFakeOpenAi } from '../test/kb/support/fake-openai.ts';
import type { Benchmark, BenchOptions } from './run.ts';

const MODEL = 'bench-embed';
/** Articles a question asks the vector index for (the retriever's CANDIDATES). */
const ASKED = 20;
/** Passages per article, as in kb-query's synthetic base. */
const PER_ARTICLE = 4;
/** Questions searched before the timed ones, and how many times each timed one is searched by the IVF. */
const WARM_UP = 5;
const PASSES = 3;

function passage(i: number, changed = false): Passage {
  const articleId = `a${Math.floor(i / PER_ARTICLE)}`;
  return { id: `${articleId}#${i % PER_ARTICLE}`, articleId, title: `Article ${articleId}`, heading: null, questions: [], tags: [], locale: 'en', text: `passage ${i}${changed ? ' changed' : ''}`, file: `f${i % 100}.jsonl`, line: 1 };
}

/** The scan Parley did before: every passage's float32 vector, best passage per article. */
function exactScan(passages: readonly Passage[], vectors: readonly Float32Array[], query: Float32Array, limit: number): VectorHit[] {
  const best = new Map<string, VectorHit>();
  passages.forEach((p, i) => {
    const v = vectors[i]!;
    let dot = 0;
    for (let d = 0; d < v.length; d++) dot += v[d]! * query[d]!;
    const seen = best.get(p.articleId);
    if (!seen || dot > seen.similarity) best.set(p.articleId, { articleId: p.articleId, passage: p, similarity: dot });
  });
  return [...best.values()].sort((a, b) => b.similarity - a.similarity).slice(0, limit);
}

/**
 * The eighth session's search (df0abb0's vector-index.ts), for the baseline: one call into WebAssembly per row,
 * `accept` asked per passage, every article found sorted. Here a row holds one passage or none (`passageOfRow`).
 */
function eighthSessionSearch(store: VectorStore, passages: readonly Passage[], passageOfRow: Int32Array, articleOf: Int32Array, query: Float32Array, limit: number, accept: (p: Passage) => boolean): VectorHit[] {
  const bestScore = new Float32Array(articleOf.length);
  const bestPassage = new Int32Array(articleOf.length).fill(-1);
  const bestRow = new Int32Array(articleOf.length);
  const touched: number[] = [];
  const scale = store.prepare(query);
  const score = (row: number) => {
    const i = passageOfRow[row]!;
    if (i === -1 || !accept(passages[i]!)) return;
    const similarity = store.similarity(row, scale);
    const article = articleOf[i]!;
    if (bestPassage[article] === -1) touched.push(article);
    else if (similarity <= bestScore[article]!) return;
    bestScore[article] = similarity;
    bestPassage[article] = i;
    bestRow[article] = row;
  };
  const ivf = store.ivf!;
  const ranked = ivf.ranked(query);
  const step = ivf.probes;
  for (let probed = 0; probed < ranked.length && (probed === 0 || touched.length < limit); probed += step) {
    for (let l = probed; l < Math.min(ranked.length, probed + step); l++) for (const row of ivf.lists[ranked[l]!]!) score(row);
  }
  const first = touched.sort((a, b) => bestScore[b]! - bestScore[a]!).slice(0, 2 * limit);
  const hits = first.map((article): VectorHit => {
    const passage = passages[bestPassage[article]!]!;
    return { articleId: passage.articleId, passage, similarity: store.dot(bestRow[article]!, query) };
  });
  return hits.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Wall and CPU time of `fn` (on a machine shared with other work the CPU time is the steadier figure). */
function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number; switchedOut: boolean } {
  const switches = process.resourceUsage().involuntaryContextSwitches;
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - t;
  // Whether the scheduler took a core from the process meanwhile (any of its threads: an upper bound).
  const switchedOut = process.resourceUsage().involuntaryContextSwitches > switches;
  return { value, ms, cpuMs: (used.user + used.system) / 1000, switchedOut };
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

async function measure(size: number, dims: number, questions: number): Promise<void> {
  process.stderr.write(`kb-vectors: ${size} passages x ${dims} dimensions: generating\n`);
  const changedCount = Math.max(1, Math.round(size / 100));
  const data = clusteredVectors({ passages: size, questions: questions + changedCount, dims });
  const vectors = data.passages;
  const asked = data.questions.slice(0, questions);
  const replacements = data.questions.slice(questions);
  const passages = vectors.map((_, i) => passage(i));

  // The knowledge base's path: the cache holds every vector (as the model returned them), the kept index nothing yet.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-kb-vectors-'));
  const fake = await startFakeOpenAi();
  try {
    const byText = new Map<string, Float32Array>();
    passages.forEach((p, i) => byText.set(embeddingText(p), vectors[i]!));
    fake.embed = (text) => [...(byText.get(text) ?? replacements[Number(/passage (\d+)/.exec(text)?.[1] ?? 0) % replacements.length]!)];
    const cacheDir = path.join(dataDir, 'kb', 'embeddings');
    await mkdir(cacheDir, { recursive: true });
    const cacheFile = path.join(cacheDir, `${MODEL}.jsonl`);
    for (let start = 0; start < size; start += 5000) {
      const lines = passages.slice(start, start + 5000).map((p, k) => {
        const v = vectors[start + k]!;
        return `${JSON.stringify({ h: contentHash(MODEL, embeddingText(p)), v: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') })}\n`;
      });
      await appendFile(cacheFile, lines.join(''));
    }
    const client = new OpenAI({ apiKey: 'test-key', baseURL: fake.baseURL, maxRetries: 0 });
    const embedder = () => new Embedder({ client, model: MODEL, dataDir, progressFrom: Infinity });
    process.stderr.write(`kb-vectors: cold start from the cache\n`);
    const cold = await timedAsync(() => embedder().index(passages));
    const keptBytes = (await stat(path.join(cacheDir, `${MODEL}.vectors`))).size;
    const cacheBytes = (await stat(cacheFile)).size;
    process.stderr.write(`kb-vectors: warm start\n`);
    const warmEmbedder = embedder();
    const warm = await timedAsync(() => warmEmbedder.index(passages));
    const index = warm.value;
    const changed = passages.map((p, i) => (i < changedCount ? passage(i, true) : p));
    process.stderr.write(`kb-vectors: one changed file (${changedCount} passages)\n`);
    const update = await timedAsync(() => warmEmbedder.index(changed));
    const store = index.store;

    process.stderr.write(`kb-vectors: questions\n`);
    // The store as the cold start built it (rows in the order they were added) and as the warm start loaded it from
    // the kept file (rows in the order of their lists); the same rows and lists.
    const built = cold.value;
    const passageOfRow = new Int32Array(built.store.rows).fill(-1);
    passages.forEach((p, i) => (passageOfRow[built.store.row(contentHash(MODEL, embeddingText(p)))!] = i));
    const articleOf = Int32Array.from(passages, (p) => Number(p.articleId.slice(1)));
    const inEnglish = (p: Passage) => language(p.locale) === 'en';
    const ivfWays = ['eighth', 'built', 'loaded'] as const;
    const ways = ['exact', ...ivfWays] as const;
    type Way = (typeof ways)[number];
    const perWay = <T>(make: () => T) => ({ exact: make(), eighth: make(), built: make(), loaded: make() });
    const wall = perWay(() => [] as number[]);
    const cpu = perWay(() => [] as number[]);
    /** Wall times of the searches during which the process kept its core. */
    const kept = perWay(() => [] as number[]);
    const found = perWay(() => 0);
    const counted = { scored: 0 };
    const truth = asked.map((query) => {
      const exact = timed(() => exactScan(passages, vectors, query, ASKED));
      wall.exact.push(exact.ms);
      cpu.exact.push(exact.cpuMs);
      if (!exact.switchedOut) kept.exact.push(exact.ms);
      return exact.value.slice(0, 10).map((h) => h.articleId);
    });
    found.exact = 10 * asked.length;
    const search = {
      eighth: (query: Float32Array) => eighthSessionSearch(built.store, passages, passageOfRow, articleOf, query, ASKED, inEnglish),
      built: (query: Float32Array) => built.search(query, ASKED, 'en'),
      loaded: (query: Float32Array, pass = -1) => index.search(query, ASKED, 'en', pass === 0 ? counted : undefined),
    };
    // Untimed first questions (the first calls compile the code), then every question PASSES times, the IVF searches
    // taking turns going first; recall and rows scored from the first pass.
    for (const query of replacements.slice(0, WARM_UP)) for (const way of ivfWays) search[way](query);
    for (let pass = 0; pass < PASSES; pass++) {
      asked.forEach((query, q) => {
        for (let k = 0; k < ivfWays.length; k++) {
          const way = ivfWays[(q + pass + k) % ivfWays.length]!;
          const result = timed(() => search[way](query, pass));
          wall[way].push(result.ms);
          cpu[way].push(result.cpuMs);
          if (!result.switchedOut) kept[way].push(result.ms);
          if (pass > 0) continue;
          const got = new Set(result.value.slice(0, 10).map((h) => h.articleId));
          found[way] += truth[q]!.filter((id) => got.has(id)).length;
        }
      });
    }
    for (const way of ways) {
      wall[way].sort((a, b) => a - b);
      cpu[way].sort((a, b) => a - b);
      kept[way].sort((a, b) => a - b);
    }
    const rss = process.memoryUsage().rss;
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
    const lists = store.ivf;
    const timeRow = (label: string, times: Record<Way, number[]>, p: number) => [
      label,
      ...ways.map((way) => ms(percentile(times[way], p))),
      ratio(percentile(times.eighth, p), percentile(times.loaded, p)),
    ];
    const scored = String(Math.round(counted.scored / asked.length));
    const rows = [
      ['', 'exact scan', 'IVF, 8th session', 'now, as built', 'now, loaded', 'loaded vs 8th'],
      timeRow('p50 per question, wall', wall, 50),
      timeRow('p99 per question, wall', wall, 99),
      timeRow('p50 per question, CPU', cpu, 50),
      timeRow('p99 per question, CPU', cpu, 99),
      timeRow('p99 wall, core kept', kept, 99),
      ['searches switched out', ...ways.map((way) => `${wall[way].length - kept[way].length} of ${wall[way].length}`), ''],
      ['recall@10 (articles)', ...ways.map((way) => (found[way] / (10 * asked.length)).toFixed(3)), ''],
      ['vectors in memory', mib(size * dims * 4), mib(store.bytes), mib(store.bytes), mib(store.bytes), ''],
      ['rows scored per question', String(size), scored, scored, scored, ''],
    ];
    process.stdout.write(
      `${size} passages x ${dims} dimensions (${size / PER_ARTICLE} articles), ${asked.length} questions (the IVF's ${PASSES} times each); ${lists ? `${lists.count} lists, ${lists.probes} probed` : 'no lists'}; ` +
        `"as built": rows in the order they were added, "loaded": read from the kept file, each list's rows together\n`,
    );
    for (const row of rows) process.stdout.write(`  ${row[0]!.padEnd(26)}${row.slice(1, -1).map((cell) => cell.padStart(17)).join('')}${row.at(-1)!.padStart(15)}\n`);
    process.stdout.write(`  process RSS after the questions ${mib(rss)} (the bench holds every float32 vector for the exact scan, ${mib(size * dims * 4)})\n`);
    process.stdout.write(
      `  Embedder.index: cold from the cache (${mib(cacheBytes)} of JSON Lines) ${ms(cold.ms)} (${ms(cold.cpuMs)} CPU); warm, the kept index (${mib(keptBytes)}) loaded ${ms(warm.ms)} (${ms(warm.cpuMs)} CPU); ` +
        `one changed file (${changedCount} passages embedded and added) ${ms(update.ms)} (${ms(update.cpuMs)} CPU), embedding requests ${fake.embeddingRequests().length}\n\n`,
    );
  } finally {
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const kbVectors: Benchmark = {
  name: 'kb-vectors',
  description: 'search by meaning at 10k/100k passages: exact float32 scan vs IVF over int8, recall@10, memory, cold/warm/update',
  async run(options: BenchOptions): Promise<void> {
    const questions = options.quick ? 50 : 100;
    const runs: Array<[number, number]> = options.quick ? [[2000, 256], [10_000, 1536]] : [[10_000, 1536], [100_000, 1536], [100_000, 512]];
    for (const [size, dims] of runs) await measure(size, dims, questions);
  },
};
