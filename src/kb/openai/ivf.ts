/**
 * The coarse quantizer of an inverted-file (IVF) index: k-means centroids, and per centroid the list of rows nearest
 * to it. A question is compared with the centroids, and only the rows of the nearest lists are scored (a few per cent
 * of the base instead of all of it).
 *
 * Clustering in the embeddings' own 1,536 dimensions would cost minutes at 100,000 passages, so centroids live in a
 * 64-dimensional sketch of each vector: every dimension is added, with a fixed sign, into one of 64 (a count sketch,
 * a random projection that keeps inner products on average for any model's vectors and costs one addition per
 * dimension). The sketch only chooses the lists; rows are scored on their full vectors (vector-store.ts).
 */
import { seededRandom } from '../../infra/seeded-random.ts';
import type { VectorStore } from './vector-store.ts';

/** Dimensions of the sketch the centroids live in. */
export const SKETCH = 64;
/** Sample rows per list that k-means is trained on. */
const SAMPLE_PER_LIST = 32;
const ITERATIONS = 6;
/** Share of the lists a search probes first (at least MIN_PROBE). */
export const PROBE_SHARE = 0.05;
const MIN_PROBE = 8;

export class Ivf {
  private constructor(
    /** Centroids, one after the other, each SKETCH long and normalized. */
    readonly centroids: Float32Array,
    /** Rows per list. */
    readonly lists: number[][],
    /** Rows the centroids were trained on: the store retrains past twice as many. */
    readonly trainedOn: number,
  ) {}

  get count(): number {
    return this.lists.length;
  }

  get bytes(): number {
    return this.centroids.byteLength + 8 * this.lists.reduce((sum, list) => sum + list.length, 0);
  }

  /** Lists to probe for a question: PROBE_SHARE of them, at least MIN_PROBE. */
  get probes(): number {
    return Math.min(this.count, Math.max(MIN_PROBE, Math.ceil(this.count * PROBE_SHARE)));
  }

  /** Trains centroids on a sample of the store's rows and puts every row in its nearest list. */
  static train(store: VectorStore, seed = 1): Ivf {
    const n = store.rows;
    const count = Math.max(1, Math.min(4096, Math.round(Math.sqrt(n))));
    // The same sample, and so the same lists, for the same rows.
    const rand = seededRandom(seed);
    // A partial shuffle picks the sample without repeats.
    const order = Int32Array.from({ length: n }, (_, i) => i);
    const m = Math.min(n, count * SAMPLE_PER_LIST);
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(rand() * (n - i));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const sample = new Float32Array(m * SKETCH);
    const scratch = new Float32Array(store.dims);
    for (let i = 0; i < m; i++) sketchInto(store.vector(order[i]!, scratch), sample, i * SKETCH);
    const centroids = sample.slice(0, count * SKETCH);
    const sums = new Float32Array(count * SKETCH);
    const sizes = new Int32Array(count);
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      sums.fill(0);
      sizes.fill(0);
      for (let i = 0; i < m; i++) {
        const c = nearest(centroids, count, sample, i * SKETCH);
        sizes[c]!++;
        for (let d = 0; d < SKETCH; d++) sums[c * SKETCH + d]! += sample[i * SKETCH + d]!;
      }
      for (let c = 0; c < count; c++) {
        // An empty list takes a random sample row as its centroid.
        if (sizes[c] === 0) {
          const pick = Math.floor(rand() * m) * SKETCH;
          centroids.set(sample.subarray(pick, pick + SKETCH), c * SKETCH);
        } else centroids.set(normalized(sums.subarray(c * SKETCH, (c + 1) * SKETCH)), c * SKETCH);
      }
    }
    const ivf = new Ivf(centroids, Array.from({ length: count }, () => []), n);
    for (let row = 0; row < n; row++) ivf.add(row, store.vector(row, scratch));
    return ivf;
  }

  /** Rebuilds lists from their centroids and each row's list (vector-file.ts). */
  static restore(centroids: Float32Array, listOf: Int32Array, trainedOn: number): Ivf {
    const lists: number[][] = Array.from({ length: centroids.length / SKETCH }, () => []);
    listOf.forEach((list, row) => lists[list]!.push(row));
    return new Ivf(centroids, lists, trainedOn);
  }

  /** The same centroids with empty lists (a compacted store fills them again). */
  emptied(): Ivf {
    return new Ivf(this.centroids, Array.from({ length: this.count }, () => []), this.trainedOn);
  }

  /** Puts a row (its vector given) in its nearest list. */
  add(row: number, vector: Float32Array): void {
    const sketch = new Float32Array(SKETCH);
    sketchInto(vector, sketch, 0);
    this.lists[nearest(this.centroids, this.count, sketch, 0)]!.push(row);
  }

  /** Each row's list, for writing the index out. */
  listOf(rows: number): Int32Array {
    const listOf = new Int32Array(rows);
    this.lists.forEach((list, l) => {
      for (const row of list) if (row < rows) listOf[row] = l;
    });
    return listOf;
  }

  /** The lists in order of their centroid's similarity to the query, best first. */
  ranked(query: Float32Array): Int32Array {
    const sketch = new Float32Array(SKETCH);
    sketchInto(query, sketch, 0);
    const scores = new Float32Array(this.count);
    for (let c = 0; c < this.count; c++) scores[c] = dotAt(this.centroids, c * SKETCH, sketch, 0);
    return Int32Array.from({ length: this.count }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  }
}

/** Sign of dimension d in the sketch: fixed, from a hash of d. */
function sign(d: number): number {
  return (Math.imul(d + 1, 0x9e3779b1) >>> 31) === 1 ? -1 : 1;
}

/** The normalized count sketch of `v`, written at `offset`. */
function sketchInto(v: Float32Array, into: Float32Array, offset: number): void {
  for (let d = 0; d < SKETCH; d++) into[offset + d] = 0;
  for (let d = 0; d < v.length; d++) into[offset + (d % SKETCH)]! += sign(d) * v[d]!;
  let norm = 0;
  for (let d = 0; d < SKETCH; d++) norm += into[offset + d]! ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < SKETCH; d++) into[offset + d]! /= norm;
}

function normalized(v: Float32Array): Float32Array {
  const copy = Float32Array.from(v);
  let norm = 0;
  for (let d = 0; d < copy.length; d++) norm += copy[d]! ** 2;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let d = 0; d < copy.length; d++) copy[d]! /= norm;
  return copy;
}

function dotAt(a: Float32Array, aAt: number, b: Float32Array, bAt: number): number {
  let sum = 0;
  for (let d = 0; d < SKETCH; d++) sum += a[aAt + d]! * b[bAt + d]!;
  return sum;
}

function nearest(centroids: Float32Array, count: number, sketches: Float32Array, at: number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0, base = 0; c < count; c++, base += SKETCH) {
    let s0 = 0;
    let s1 = 0;
    for (let d = 0; d < SKETCH; d += 2) {
      s0 += centroids[base + d]! * sketches[at + d]!;
      s1 += centroids[base + d + 1]! * sketches[at + d + 1]!;
    }
    if (s0 + s1 > bestScore) {
      bestScore = s0 + s1;
      best = c;
    }
  }
  return best;
}
