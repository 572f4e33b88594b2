/**
 * Search by meaning (embeddings, with OpenAI configured) at 10k and 100k passages of 1,536 dimensions (what
 * text-embedding-3-small returns), and at 100k with 512 (its `dimensions` option): the exact scan of float32 vectors
 * Parley did before beside the IVF index over int8 vectors (vector-store.ts, ivf.ts) in the same run — p50 / p99 per
 * question (20 articles asked for, as the retriever does), recall@10 against the exact scan, the vectors' memory —
 * and the knowledge base's own path through Embedder.index with a local OpenAI-compatible server: a cold start from
 * the embeddings cache (every vector already paid for, none in the kept index), a warm start (the kept index loaded),
 * and one changed file's 1% of the passages embedded and added. The vectors are synthetic, clustered as a knowledge
 * base's are (test/kb/support/clustered-vectors.ts). Temporary directories are removed.
 */
import { appendFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { contentHash } from '../src/kb/openai/embedding-cache.ts';
import { Embedder, embeddingText } from '../src/kb/openai/embedder.ts';
import { VectorIndex, type VectorHit } from '../src/kb/openai/vector-index.ts';
import type { Passage } from '../src/kb/types.ts';
import { clusteredVectors } from '../test/kb/support/clustered-vectors.ts';
import { startFakeOpenAi } from '../test/kb/support/fake-openai.ts';
import type { Benchmark, BenchOptions } from './run.ts';

const MODEL = 'bench-embed';
/** Articles a question asks the vector index for (the retriever's CANDIDATES). */
const ASKED = 20;
/** Passages per article, as in kb-query's synthetic base. */
const PER_ARTICLE = 4;

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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Wall and CPU time of `fn` (on a machine shared with other work the CPU time is the steadier figure). */
function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
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
    const exactTimes: number[] = [];
    const annTimes: number[] = [];
    const exactCpu: number[] = [];
    const annCpu: number[] = [];
    let found = 0;
    const counted = { scored: 0 };
    for (const query of asked) {
      const exact = timed(() => exactScan(passages, vectors, query, ASKED));
      const ann = timed(() => index.search(query, ASKED, undefined, counted));
      exactTimes.push(exact.ms);
      annTimes.push(ann.ms);
      exactCpu.push(exact.cpuMs);
      annCpu.push(ann.cpuMs);
      const truth = exact.value.slice(0, 10).map((h) => h.articleId);
      const got = new Set(ann.value.slice(0, 10).map((h) => h.articleId));
      found += truth.filter((id) => got.has(id)).length;
    }
    for (const list of [exactTimes, annTimes, exactCpu, annCpu]) list.sort((a, b) => a - b);
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
    const lists = store.ivf;
    const rows = [
      ['', 'exact scan (before)', 'IVF, int8', 'ratio'],
      ['p50 per question, wall', ms(percentile(exactTimes, 50)), ms(percentile(annTimes, 50)), ratio(percentile(exactTimes, 50), percentile(annTimes, 50))],
      ['p99 per question, wall', ms(percentile(exactTimes, 99)), ms(percentile(annTimes, 99)), ratio(percentile(exactTimes, 99), percentile(annTimes, 99))],
      ['p50 per question, CPU', ms(percentile(exactCpu, 50)), ms(percentile(annCpu, 50)), ratio(percentile(exactCpu, 50), percentile(annCpu, 50))],
      ['p99 per question, CPU', ms(percentile(exactCpu, 99)), ms(percentile(annCpu, 99)), ratio(percentile(exactCpu, 99), percentile(annCpu, 99))],
      ['vectors in memory', mib(size * dims * 4), mib(store.bytes), `${((size * dims * 4) / store.bytes).toFixed(1)}x`],
      ['recall@10 (articles)', '1', (found / (10 * asked.length)).toFixed(3), ''],
      ['rows scored per question', String(size), String(Math.round(counted.scored / asked.length)), ''],
    ];
    process.stdout.write(`${size} passages x ${dims} dimensions (${size / PER_ARTICLE} articles), ${asked.length} questions; ${lists ? `${lists.count} lists, ${lists.probes} probed` : 'no lists'}\n`);
    for (const row of rows) process.stdout.write(`  ${row[0]!.padEnd(26)}${row[1]!.padStart(22)}${row[2]!.padStart(14)}${row[3]!.padStart(9)}\n`);
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
