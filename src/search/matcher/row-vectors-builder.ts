/**
 * Builds RowVectors (row-vectors.ts) one row at a time into flat typed arrays. A knowledge base of 100,000 passages
 * has some 200,000 short fields and a million character n-grams: a Map per row, or every row's words kept until the
 * end, made most of the build's time garbage collection and most of its peak memory. Words arrive as ids (the
 * caller's own numbering, one per distinct word), so a row costs no string work here.
 */
import { GrowableFloat32, GrowableInt32 } from './growable.ts';
import { Interner } from './interner.ts';
import { RowVectors, type OuterIdf } from './row-vectors.ts';
import { StringTable } from './string-table.ts';

export class RowVectorsBuilder {
  /** Per caller's word id, its own index + 1 (0: not seen yet); its terms are wordTerms[wordTermStart[w]] .. [w + 1] - 1. */
  private readonly local = new GrowableInt32(1024);
  private readonly wordTermStart = new GrowableInt32(1024);
  private readonly wordTerms = new GrowableInt32(1 << 16);
  private readonly vocabulary = new Interner();
  /** Rows with the same words share one vector: each vector's words, and vectors by a hash of them (chained). */
  private readonly vectorWordStart = new GrowableInt32(1024);
  private readonly vectorWords = new GrowableInt32(1 << 16);
  private readonly byHash = new Map<number, number>();
  private readonly sameHash = new GrowableInt32(1024);
  private readonly vectorOf = new GrowableInt32(1024);
  /**
   * Vector v's distinct term ids (sorted) are at offsets[v] .. offsets[v + 1] - 1, and their weights beside them:
   * until `finish`, how often the row has the term.
   */
  private readonly offsets = new GrowableInt32(1024);
  private readonly ids = new GrowableInt32(1 << 16);
  private readonly weights = new GrowableFloat32(1 << 16);
  /** How many rows use each vector. */
  private readonly rowsOf = new GrowableInt32(1024);
  private scratch = new Int32Array(256);

  /**
   * `termsOf`: the terms of the caller's word `id` (its character n-grams, or the word itself), asked once per word;
   * it calls `term` with each, as a range of characters of a string.
   */
  constructor(
    private readonly termsOf: (id: number, term: (text: string, from: number, to: number) => void) => void,
    private readonly outer: OuterIdf | null = null,
  ) {
    this.wordTermStart.push(0);
    this.offsets.push(0);
    this.vectorWordStart.push(0);
  }

  get rows(): number {
    return this.vectorOf.length;
  }

  /** The next row: its words' ids. */
  add(words: GrowableInt32): void {
    const ids = words.array();
    let v = this.find(ids, words.length);
    if (v < 0) v = this.vector(ids, words.length);
    this.rowsOf.set(v, this.rowsOf.at(v) + 1);
    this.vectorOf.push(v);
  }

  /** The vector of a row with these words, or -1. */
  private find(words: Int32Array, count: number): number {
    const stored = this.vectorWords.array();
    let v = this.byHash.get(hash(words, count)) ?? -1;
    for (; v >= 0; v = this.sameHash.at(v)) {
      const from = this.vectorWordStart.at(v);
      if (this.vectorWordStart.at(v + 1) - from !== count) continue;
      let k = 0;
      while (k < count && stored[from + k] === words[k]) k++;
      if (k === count) return v;
    }
    return -1;
  }

  private vector(words: Int32Array, count: number): number {
    const v = this.rowsOf.length;
    const h = hash(words, count);
    this.sameHash.push(this.byHash.get(h) ?? -1);
    this.byHash.set(h, v);
    this.rowsOf.push(0);
    this.vectorWords.array(count).set(words.subarray(0, count), this.vectorWords.length);
    this.vectorWords.length += count;
    this.vectorWordStart.push(this.vectorWords.length);
    let n = 0;
    for (let i = 0; i < count; i++) {
      const w = this.word(words[i]!);
      const wordTerms = this.wordTerms.array();
      const from = this.wordTermStart.at(w);
      const to = this.wordTermStart.at(w + 1);
      if (n + to - from > this.scratch.length) {
        const bigger = new Int32Array(2 * (n + to - from));
        bigger.set(this.scratch);
        this.scratch = bigger;
      }
      for (let k = from; k < to; k++) this.scratch[n++] = wordTerms[k]!;
    }
    const terms = this.scratch.subarray(0, n).sort();
    const ids = this.ids.array(n);
    const weights = this.weights.array(n);
    let at = this.ids.length;
    for (let k = 0; k < n; ) {
      let j = k + 1;
      while (j < n && terms[j] === terms[k]) j++;
      ids[at] = terms[k]!;
      weights[at++] = j - k;
      k = j;
    }
    this.ids.length = this.weights.length = at;
    this.offsets.push(at);
    return v;
  }

  /** The builder's own index of the caller's word, its terms numbered the first time it is seen. */
  private word(id: number): number {
    const known = this.local.get(id, 0);
    if (known > 0) return known - 1;
    const w = this.wordTermStart.length - 1;
    this.local.set(id, w + 1);
    this.termsOf(id, this.addTerm);
    this.wordTermStart.push(this.wordTerms.length);
    return w;
  }

  private readonly addTerm = (text: string, from: number, to: number): void => this.wordTerms.push(this.vocabulary.id(text, from, to));

  /**
   * The vectors: sublinear term frequency, smoothed IDF (document frequencies count every row, repeated or not, so
   * that sharing a vector changes no weight), unit length. Layered over a larger index (layered.ts): its IDF where it
   * has the term, as one index of both would.
   */
  finish(): RowVectors {
    const vectors = this.rowsOf.length;
    const offsets = this.offsets.trimmed();
    const ids = this.ids.trimmed();
    const weights = this.weights.trimmed();
    const rowsOf = this.rowsOf.view();
    const df = new Float64Array(this.vocabulary.size);
    for (let v = 0; v < vectors; v++) for (let k = offsets[v]!; k < offsets[v + 1]!; k++) df[ids[k]!]! += rowsOf[v]!;
    const total = this.rows + (this.outer?.rows ?? 0);
    const terms = this.vocabulary.strings;
    const outer = this.outer;
    const idf = Float64Array.from(df, (d, id) => outer?.idfOf(terms[id]!) ?? Math.log((total + 1) / (d + 1)) + 1);
    for (let v = 0; v < vectors; v++) {
      let norm = 0;
      for (let k = offsets[v]!; k < offsets[v + 1]!; k++) norm += ((1 + Math.log(weights[k]!)) * idf[ids[k]!]!) ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let k = offsets[v]!; k < offsets[v + 1]!; k++) weights[k] = ((1 + Math.log(weights[k]!)) * idf[ids[k]!]!) / norm;
    }
    return RowVectors.assemble(StringTable.from(terms), idf, this.vectorOf.trimmed(), offsets, ids, weights, outer);
  }
}

/** FNV-1a over a row's word ids, cut to 30 bits (a small integer in V8: a Map keyed by it allocates nothing). */
function hash(words: Int32Array, count: number): number {
  let h = 0x811c9dc5 ^ count;
  for (let i = 0; i < count; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h & 0x3fffffff;
}
