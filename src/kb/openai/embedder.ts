/**
 * Embeds passages (through the on-disk cache: only new or changed text is sent) and questions, and keeps the
 * passages' vectors in a compact store with its IVF lists (vector-store.ts), written under DATA_DIR after each
 * change and loaded at the next start. Vectors are L2-normalized so cosine similarity is a dot product.
 */
import path from 'node:path';
import type OpenAI from 'openai';
import type { Logger } from '../../infra/logger.ts';
import { redact } from '../../infra/redact.ts';
import { progressBar, type ProgressSink } from '../progress.ts';
import type { Passage } from '../types.ts';
import { contentHash, EmbeddingCache } from './embedding-cache.ts';
import { readVectorFile, writeVectorFile } from './vector-file.ts';
import { VectorIndex } from './vector-index.ts';
import { VectorStore } from './vector-store.ts';

/** Inputs per embeddings request. */
const BATCH = 96;

export interface EmbedderOptions {
  client: OpenAI;
  model: string;
  /** Dimensions asked of the model (the API's `dimensions`); its own when absent. Part of the cache key. */
  dimensions?: number;
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
  /** Where the store is kept between runs. */
  readonly storeFile: string;
  private store: VectorStore | null = null;
  private storeLoaded = false;
  /** Writes of the store, one after the other. */
  private writing: Promise<void> = Promise.resolve();

  /** What a content hash is taken with: the model, and the dimensions asked of it. */
  private readonly key: string;

  constructor(private readonly options: EmbedderOptions) {
    this.key = options.dimensions ? `${options.model}@${options.dimensions}` : options.model;
    const name = this.key.replace(/[^\w.-]+/g, '_');
    this.cache = new EmbeddingCache(options.dataDir, name);
    this.storeFile = path.join(options.dataDir, 'kb', 'embeddings', `${name}.vectors`);
  }

  /**
   * The index of these passages' vectors. Texts the store lacks are looked up in the cache and only then sent to the
   * model; when more than half of the store's texts are no passage's any more, it is compacted (and the cache with it).
   */
  async index(passages: readonly Passage[]): Promise<VectorIndex> {
    if (!this.storeLoaded) {
      this.storeLoaded = true;
      this.store ??= await readVectorFile(this.storeFile);
    }
    const hashes = passages.map((p) => contentHash(this.key, embeddingText(p)));
    const before = this.store?.rows ?? 0;
    const missing = new Map<string, string>();
    passages.forEach((p, i) => {
      if (this.store?.row(hashes[i]!) === undefined && !missing.has(hashes[i]!)) missing.set(hashes[i]!, embeddingText(p));
    });
    if (missing.size > 0) {
      const wanted = new Set(missing.keys());
      await this.cache.take(wanted, (hash, vector) => this.add(hash, vector));
      for (const hash of missing.keys()) if (!wanted.has(hash)) missing.delete(hash);
      if (missing.size > 0) await this.embedMissing([...missing]);
    }
    let changed = (this.store?.rows ?? 0) !== before;
    const live = new Set(hashes);
    if (this.store && this.store.rows - live.size > live.size) {
      this.store = this.store.compacted(live);
      await this.cache.compact(live);
      changed = true;
    }
    const store = (this.store ??= new VectorStore(0, 0));
    const lists = store.ivf;
    store.index();
    if (changed || store.ivf !== lists) await this.keep(store);
    return new VectorIndex(passages, store, Int32Array.from(hashes, (hash) => store.row(hash)!));
  }

  private add(hash: string, vector: Float32Array): void {
    if (!this.store || (this.store.rows === 0 && this.store.dims !== vector.length)) this.store = new VectorStore(vector.length);
    this.store.add(hash, vector);
  }

  private keep(store: VectorStore): Promise<void> {
    const write = this.writing.then(() => writeVectorFile(this.storeFile, store));
    this.writing = write.catch((error: unknown) => {
      this.options.logger?.warn({ err: error instanceof Error ? error.message : String(error) }, 'kb: the embeddings index could not be kept; it is made again at the next start');
    });
    return this.writing;
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
      batch.forEach(([hash], i) => this.add(hash, vectors[i]!));
      bar?.tick(start + batch.length);
    }
    bar?.done();
  }

  private async request(input: string[]): Promise<Float32Array[]> {
    // Floats, not the SDK's default base64: several compatible servers only speak floats.
    const { model, dimensions } = this.options;
    const response = await this.options.client.embeddings.create({ model, input, encoding_format: 'float', ...(dimensions ? { dimensions } : {}) });
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
