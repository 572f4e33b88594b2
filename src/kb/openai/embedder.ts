/**
 * Embeds passages (through the on-disk cache: only new or changed text is sent) and questions.
 * Vectors are L2-normalized so cosine similarity is a dot product.
 */
import type OpenAI from 'openai';
import type { Logger } from '../../infra/logger.ts';
import { redact } from '../../infra/redact.ts';
import { progressBar, type ProgressSink } from '../progress.ts';
import type { Passage } from '../types.ts';
import { contentHash, EmbeddingCache } from './embedding-cache.ts';

/** Inputs per embeddings request. */
const BATCH = 96;

export interface EmbedderOptions {
  client: OpenAI;
  model: string;
  dataDir: string;
  logger?: Logger;
  /** Show a progress bar when at least this many passages need embedding. Default: 50. */
  progressFrom?: number;
  progressSink?: ProgressSink;
}

/** What an embedding represents: the passage with its article's title, heading and example questions. */
export function embeddingText(p: Passage): string {
  return [p.title, p.heading ?? '', p.questions.join('\n'), p.text].filter((s) => s !== '').join('\n');
}

export class Embedder {
  private readonly cache: EmbeddingCache;

  constructor(private readonly options: EmbedderOptions) {
    this.cache = new EmbeddingCache(options.dataDir, options.model);
  }

  /** One vector per passage, in order; only passages whose text is not in the cache are sent to the model. */
  async embedPassages(passages: readonly Passage[]): Promise<Float32Array[]> {
    await this.cache.load();
    const hashes = passages.map((p) => contentHash(this.options.model, embeddingText(p)));
    const missing = new Map<string, string>();
    passages.forEach((p, i) => {
      if (!this.cache.get(hashes[i]!) && !missing.has(hashes[i]!)) missing.set(hashes[i]!, embeddingText(p));
    });
    if (missing.size > 0) await this.embedMissing([...missing]);
    await this.cache.compact(new Set(hashes));
    return hashes.map((hash) => this.cache.get(hash)!);
  }

  /** The customer's question leaves the machine redacted, like every prompt. */
  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.request([redact(text)]);
    return vector!;
  }

  private async embedMissing(missing: Array<[string, string]>): Promise<void> {
    const showProgress = missing.length >= (this.options.progressFrom ?? 50);
    const bar = showProgress ? progressBar('embedding passages', missing.length, this.options.progressSink) : null;
    this.options.logger?.info({ passages: missing.length, model: this.options.model }, 'embedding new or changed passages');
    for (let start = 0; start < missing.length; start += BATCH) {
      const batch = missing.slice(start, start + BATCH);
      const vectors = await this.request(batch.map(([, text]) => text));
      await this.cache.add(batch.map(([hash], i) => ({ hash, vector: vectors[i]! })));
      bar?.tick(start + batch.length);
    }
    bar?.done();
  }

  private async request(input: string[]): Promise<Float32Array[]> {
    // Floats, not the SDK's default base64: several compatible servers only speak floats.
    const response = await this.options.client.embeddings.create({ model: this.options.model, input, encoding_format: 'float' });
    const data = [...response.data].sort((a, b) => a.index - b.index);
    if (data.length !== input.length) throw new Error(`embeddings: asked for ${input.length} vectors, got ${data.length}`);
    return data.map((d) => normalizeVector(Float32Array.from(d.embedding as number[])));
  }
}

export function normalizeVector(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += v[i]! * v[i]!;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}
