/**
 * Typed arrays that grow while an index is built: at 100,000 passages the postings and vectors are millions of
 * numbers, which as JavaScript arrays of numbers (or Maps) cost several times their size in the heap and most of the
 * build's time in garbage collection.
 */
type TypedArray = Int32Array | Float32Array | Float64Array;

/** How much an array grows when full: less than doubling, since the largest hold tens of megabytes. */
const GROWTH = 1.5;

abstract class Growable<T extends TypedArray> {
  protected data: T;
  length = 0;

  constructor(capacity: number) {
    this.data = this.make(Math.max(16, capacity));
  }

  protected abstract make(size: number): T;

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  at(i: number): number {
    return this.data[i]!;
  }

  /** Entry i, or `fallback` past the end. */
  get(i: number, fallback: number): number {
    return i < this.length ? this.data[i]! : fallback;
  }

  /** Sets entry i, filling any entries before it that did not exist yet with `fill`. */
  set(i: number, value: number, fill = 0): void {
    if (i >= this.length) {
      this.grow(i + 1);
      this.data.fill(fill, this.length, i);
      this.length = i + 1;
    }
    this.data[i] = value;
  }

  /** Makes room for `size` entries in all. */
  grow(size: number): void {
    if (size <= this.data.length) return;
    const bigger = this.make(Math.max(size, Math.ceil(this.data.length * GROWTH)));
    bigger.set(this.data);
    this.data = bigger;
  }

  /**
   * The array the entries are in, with room for `extra` more after them (written directly, then `length` moved on):
   * for loops that would otherwise call `push` millions of times. Valid until the array next grows.
   */
  array(extra = 0): T {
    this.grow(this.length + extra);
    return this.data;
  }

  /**
   * The entries, for an index to keep: a view when the array is nearly full (no copy of tens of megabytes), else a
   * copy of their own, so that the unused room is not kept.
   */
  trimmed(): T {
    return this.length >= 0.75 * this.data.length ? this.view() : (this.data.slice(0, this.length) as T);
  }

  /** The entries so far, as a view (no copy). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  protected make(size: number): Int32Array {
    return new Int32Array(size);
  }

}

export class GrowableFloat32 extends Growable<Float32Array> {
  protected make(size: number): Float32Array {
    return new Float32Array(size);
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  protected make(size: number): Float64Array {
    return new Float64Array(size);
  }
}
