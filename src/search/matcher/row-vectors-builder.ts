/**
 * Builds RowVectors (row-vectors.ts) one row at a time into flat typed arrays. A knowledge base of 100,000 passages
 * has some 200,000 short fields and a million character n-grams: a Map per row, or every row's words kept until the
 * end, made most of the build's time garbage collection and most of its peak memory. Words arrive as ids (the
 * caller's own numbering, one per distinct word), so a row costs no string work here.
 */
import { GrowableInt32 } from './growable.ts';
import { Interner } from './interner.ts';
import { countTerms, RowVectors, type OuterIdf } from './row-vectors.ts';
import { StringTable } from './string-table.ts';

export class RowVectorsBuilder {
  /** Per caller's word id, its own index + 1 (0: not seen yet); its terms are wordTerms[wordTermStart[w]] .. [w + 1] - 1. */
  private readonly local = new GrowableInt32(1024);
  private readonly wordTermStart = new GrowableInt32(1024);
  private readonly wordTerms = new GrowableInt32(1 << 16);
  private readonly vocabulary = new Interner();
  /** Rows with the same words share one vector: each vector's words (own indexes), and vectors by a hash of them (chained). */
  private readonly vectorWordStart = new GrowableInt32(1024);
  private readonly vectorWords = new GrowableInt32(1 << 16);
  private readonly byHash = new Map<number, number>();
  private readonly sameHash = new GrowableInt32(1024);
  private readonly vectorOf = new GrowableInt32(1024);
  /** How many rows use each vector. */
  private readonly rowsOf = new GrowableInt32(1024);
  /** The row being added, as the builder's own word indexes. */
  private row = new Int32Array(64);

  /**
   * `termsOf`: the terms of the caller's word `id` (its character n-grams, or the word itself), asked once per word;
   * it calls `term` with each, as a range of characters of a string.
   */
  constructor(
    private readonly termsOf: (id: number, term: (text: string, from: number, to: number) => void) => void,
    private readonly outer: OuterIdf | null = null,
  ) {
    this.wordTermStart.push(0);
    this.vectorWordStart.push(0);
  }

  get rows(): number {
    return this.vectorOf.length;
  }

  /** The next row: its words' ids. */
  add(words: GrowableInt32): void {
    const count = words.length;
    if (count > this.row.length) this.row = new Int32Array(2 * count);
    const ids = words.array();
    for (let i = 0; i < count; i++) this.row[i] = this.word(ids[i]!);
    let v = this.find(this.row, count);
    if (v < 0) v = this.vector(this.row, count);
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
    const layout = { wordStart: this.vectorWordStart.trimmed(), words: this.vectorWords.trimmed(), termStart: this.wordTermStart.trimmed(), terms: this.wordTerms.trimmed() };
    const rowsOf = this.rowsOf.view();
    const counts = new Int32Array(this.vocabulary.size);
    const touched = new Int32Array(this.vocabulary.size);
    const df = new Float64Array(this.vocabulary.size);
    for (let v = 0; v < vectors; v++) {
      const n = countTerms(layout, v, counts, touched);
      for (let i = 0; i < n; i++) (df[touched[i]!]! += rowsOf[v]!), (counts[touched[i]!] = 0);
    }
    const total = this.rows + (this.outer?.rows ?? 0);
    const terms = this.vocabulary.strings;
    const outer = this.outer;
    const idf = Float64Array.from(df, (d, id) => outer?.idfOf(terms[id]!) ?? Math.log((total + 1) / (d + 1)) + 1);
    const norms = new Float64Array(vectors);
    for (let v = 0; v < vectors; v++) {
      let norm = 0;
      const n = countTerms(layout, v, counts, touched);
      for (let i = 0; i < n; i++) {
        const id = touched[i]!;
        norm += ((1 + Math.log(counts[id]!)) * idf[id]!) ** 2;
        counts[id] = 0;
      }
      norms[v] = Math.sqrt(norm) || 1;
    }
    return RowVectors.assemble(StringTable.from(terms), { idf, vectorOf: this.vectorOf.trimmed(), ...layout, norms }, outer);
  }
}

/** FNV-1a over a row's word ids, cut to 30 bits (a small integer in V8: a Map keyed by it allocates nothing). */
function hash(words: Int32Array, count: number): number {
  let h = 0x811c9dc5 ^ count;
  for (let i = 0; i < count; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h & 0x3fffffff;
}
