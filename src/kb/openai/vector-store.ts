/**
 * Passage embeddings held compactly, keyed by content hash: one row per distinct embedded text, each quantized to
 * int8 with its own scale (a quarter of float32's memory; at 1,536 dimensions 100,000 passages take 154 MB instead
 * of 614 MB), and the rows' places in the IVF lists once there are enough of them (ivf.ts). The codes live in a
 * WebAssembly memory, where a question is compared with a batch of rows per call, sixteen dimensions at a time
 * (int8-dot.ts). Rows are only appended while a store is in use, so an index made from it keeps working while the
 * next one is made; dropping rows makes a new store (`compacted`).
 */
import { int8Kernels, ROWS_AT_ONCE, type Int8Kernels } from './int8-dot.ts';
import { Ivf } from './ivf.ts';

/** From this many rows on, the store has IVF lists and a search probes them instead of scanning every row. */
export const ANN_FROM = 1000;

const PAGE = 65_536;
/** Rows scored per call into WebAssembly (a multiple of ROWS_AT_ONCE). */
export const BATCH = 4096;

export class VectorStore {
  /** Bytes per row: the dimensions rounded up to 16 (the SIMD width), the rest zeros. */
  readonly stride: number;
  scales: Float32Array;
  /** The question's codes at offset 0, then a batch of rows to score (BATCH int32), then the rows' codes. */
  private readonly memory: WebAssembly.Memory;
  private readonly rowsAt: number;
  private readonly kernels: Int8Kernels;
  private view: Int8Array;
  private batch: Int32Array;
  /**
   * Per row, its place among the codes: its row number, unless the store was read from a file, which holds the rows
   * of a list one after the other (a probed list is then one stretch of memory).
   */
  private slotOf: Int32Array;
  private capacity: number;
  readonly hashes: string[] = [];
  private readonly rowOf = new Map<string, number>();
  /** The coarse quantizer; null below ANN_FROM rows. */
  ivf: Ivf | null = null;

  constructor(
    readonly dims: number,
    capacity = 1024,
  ) {
    this.stride = Math.ceil(dims / 16) * 16;
    this.capacity = capacity;
    this.rowsAt = this.stride + 4 * BATCH;
    this.memory = new WebAssembly.Memory({ initial: this.pagesFor(capacity) });
    this.kernels = int8Kernels(this.memory);
    this.view = new Int8Array(this.memory.buffer);
    this.batch = new Int32Array(this.memory.buffer, this.stride, BATCH);
    this.scales = new Float32Array(capacity);
    this.slotOf = new Int32Array(capacity);
  }

  /** The rows' codes, `stride` bytes each, in the order of their places (`slot`). */
  get codes(): Int8Array {
    return this.memoryView().subarray(this.rowsAt, this.rowsAt + this.capacity * this.stride);
  }

  get rows(): number {
    return this.hashes.length;
  }

  /** Bytes the vectors and lists take (what the index costs in memory, beside the hashes). */
  get bytes(): number {
    return this.rows * (this.stride + 4) + (this.ivf?.bytes ?? 0);
  }

  row(hash: string): number | undefined {
    return this.rowOf.get(hash);
  }

  /** Adds a normalized vector under its hash (once: a hash already held keeps its row). */
  add(hash: string, vector: Float32Array): number {
    const known = this.rowOf.get(hash);
    if (known !== undefined) return known;
    if (vector.length !== this.dims) throw new Error(`embeddings: a vector of ${vector.length} dimensions in a store of ${this.dims}`);
    const row = this.rows;
    if (row === this.capacity) this.grow(Math.max(1024, Math.ceil(this.capacity * 1.25)));
    // The places of the rows before it are a permutation of them: the next place is its row number.
    this.slotOf[row] = row;
    this.scales[row] = quantize(vector, this.codes, row * this.stride);
    this.hashes.push(hash);
    this.rowOf.set(hash, row);
    this.ivf?.add(row, vector);
    return row;
  }

  /** Builds or rebuilds the IVF lists when the store has outgrown them (twice the rows they were trained on). */
  index(): void {
    if (this.rows < ANN_FROM) return;
    if (this.ivf && this.rows < 2 * this.ivf.trainedOn) return;
    this.ivf = Ivf.train(this);
  }

  /**
   * Readies `query` for `similarities` (its int8 codes, in the store's memory); returns its scale. One question at a
   * time: a search prepares and scores without awaiting anything in between.
   */
  prepare(query: Float32Array): number {
    return quantize(query, this.memoryView(), 0);
  }

  /** Similarity of one row to the prepared query (both quantized), `scale` being what `prepare` returned. */
  similarity(row: number, scale: number): number {
    return this.kernels.dot(0, this.rowsAt + this.stride * this.slotOf[row]!, this.stride) * scale * this.scales[row]!;
  }

  /** Similarities of `rows[0..count)` to the prepared query, into `into[0..count)`: one call per BATCH rows. */
  similarities(rows: Int32Array, count: number, scale: number, into: Float32Array): void {
    this.memoryView();
    const batch = this.batch;
    for (let from = 0; from < count; from += BATCH) {
      const n = Math.min(BATCH, count - from);
      for (let i = 0; i < n; i++) batch[i] = this.rowsAt + this.stride * this.slotOf[rows[from + i]!]!;
      // The kernel takes ROWS_AT_ONCE rows at a time: the rest of the last group scores the query itself.
      const padded = Math.ceil(n / ROWS_AT_ONCE) * ROWS_AT_ONCE;
      batch.fill(0, n, padded);
      this.kernels.scores(0, this.stride, padded, this.stride);
      for (let i = 0; i < n; i++) into[from + i] = batch[i]! * scale * this.scales[rows[from + i]!]!;
    }
  }

  /** Similarity of a row to a normalized query, the query not quantized: what the best rows are ranked by at the end. */
  dot(row: number, query: Float32Array): number {
    const codes = this.codes;
    const start = this.slotOf[row]! * this.stride;
    let sum = 0;
    for (let d = 0; d < this.dims; d++) sum += codes[start + d]! * query[d]!;
    return sum * this.scales[row]!;
  }

  /** The row's vector as floats (dequantized). */
  vector(row: number, into = new Float32Array(this.dims)): Float32Array {
    const codes = this.codes;
    const scale = this.scales[row]!;
    const start = this.slotOf[row]! * this.stride;
    for (let d = 0; d < this.dims; d++) into[d] = codes[start + d]! * scale;
    return into;
  }

  /** A new store with only the rows whose hash is in `live`; its lists keep this one's centroids. */
  compacted(live: ReadonlySet<string>): VectorStore {
    const next = new VectorStore(this.dims, Math.max(1024, live.size));
    const scratch = new Float32Array(this.dims);
    if (this.ivf && live.size >= ANN_FROM) next.ivf = this.ivf.emptied();
    this.hashes.forEach((hash, row) => {
      if (live.has(hash)) next.add(hash, this.vector(row, scratch));
    });
    next.index();
    return next;
  }

  /**
   * A store of `rows` rows read from a file (vector-file.ts): `readCodes` fills its codes in place (no copy of them
   * is held beside the store's), then the rows take their hashes, scales, places among the codes and lists.
   */
  static async restore(dims: number, rows: number, readCodes: (codes: Int8Array) => Promise<void>, rest: () => Promise<{ hashes: string[]; scales: Float32Array; slots: Int32Array; ivf: Ivf | null }>): Promise<VectorStore> {
    const store = new VectorStore(dims, rows);
    await readCodes(store.codes.subarray(0, rows * store.stride));
    const { hashes, scales, slots, ivf } = await rest();
    store.scales.set(scales);
    store.slotOf.set(slots);
    hashes.forEach((hash, row) => {
      store.hashes.push(hash);
      store.rowOf.set(hash, row);
    });
    store.ivf = ivf;
    return store;
  }

  /** The row's place among the codes (`codes`). */
  slot(row: number): number {
    return this.slotOf[row]!;
  }

  /** The whole memory as bytes (views are made again after it grew). */
  private memoryView(): Int8Array {
    if (this.view.buffer !== this.memory.buffer) {
      this.view = new Int8Array(this.memory.buffer);
      this.batch = new Int32Array(this.memory.buffer, this.stride, BATCH);
    }
    return this.view;
  }

  private pagesFor(capacity: number): number {
    return Math.max(1, Math.ceil((this.rowsAt + capacity * this.stride) / PAGE));
  }

  private grow(capacity: number): void {
    const needed = this.pagesFor(capacity) - this.memory.buffer.byteLength / PAGE;
    if (needed > 0) this.memory.grow(needed);
    const scales = new Float32Array(capacity);
    scales.set(this.scales.subarray(0, this.rows));
    this.scales = scales;
    const slotOf = new Int32Array(capacity);
    slotOf.set(this.slotOf.subarray(0, this.rows));
    this.slotOf = slotOf;
    this.capacity = capacity;
  }
}

/** Writes `v` as int8 codes at `offset` and returns the scale that multiplies them back. */
export function quantize(v: Float32Array, codes: Int8Array, offset: number): number {
  let max = 0;
  for (let d = 0; d < v.length; d++) max = Math.max(max, Math.abs(v[d]!));
  const scale = max > 0 ? max / 127 : 1;
  const inverse = 1 / scale;
  for (let d = 0; d < v.length; d++) codes[offset + d] = Math.round(v[d]! * inverse);
  return scale;
}
