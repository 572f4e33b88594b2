/**
 * TF-IDF vectors stored row by row (sublinear term frequency, smoothed IDF, unit length), for similarities computed
 * only for the rows asked about. Character n-grams need this: the common ones occur in nearly every row, so an
 * inverted index would walk most of a large knowledge base for every question, while a question's candidates are a
 * few hundred rows. Rows with the same words share one vector (every passage of an article repeats its title and
 * example questions).
 *
 * A vector is kept as its words, not its terms: each distinct word's terms (its character n-grams) are stored once, and
 * a vector's weights are worked out when a question compares it, from its words' terms, the terms' IDF and the
 * vector's length. At 100,000 passages the terms of every row, with a weight each, were 90 MiB of the 143 MiB index
 * (a quarter second of reading it at every start); its words and their terms are some 20 MiB. Flat typed arrays:
 * vector v's words are words[wordStart[v]] .. words[wordStart[v + 1] - 1], word w's terms are
 * terms[termStart[w]] .. terms[termStart[w + 1] - 1], and row r's vector is vectorOf[r].
 */
import { StringTable, type StringTableData } from './string-table.ts';

/**
 * The statistics of a larger index that a small one layered over it weighs its terms with (layered.ts), so that the
 * small one's similarities are those a single index of both would give (up to the small one's own few rows).
 */
export interface OuterIdf {
  /** The term's IDF there, or undefined when it does not have the term. */
  idfOf(term: string): number | undefined;
  readonly rows: number;
}

/** The vectors' layout, shared by the builder (row-vectors-builder.ts) and the snapshot. */
export interface RowVectorsData {
  vocabulary: StringTableData;
  idf: Float64Array;
  vectorOf: Int32Array;
  wordStart: Int32Array;
  words: Int32Array;
  termStart: Int32Array;
  terms: Int32Array;
  /** Per vector, the length of its weights before they are made unit length. */
  norms: Float64Array;
}

export type RowVectorsSnapshot = Omit<RowVectorsData, 'vocabulary'> & { vocabulary: StringTableData };

export class RowVectors {
  /** The query's weights times the term's IDF, by term id, reused between questions (only the query's own entries are ever non-zero). */
  private readonly scratch: Float64Array;
  /** How often the vector being compared has each of the query's terms (zero again after each comparison). */
  private readonly counts: Int32Array;
  private readonly touched: Int32Array;
  /**
   * The similarities computed for the query in use, by vector (rows share vectors): seenValue[v] holds one when
   * seenAt[v] is the query's number. Typed arrays made at the first question rather than a Map emptied after each: a
   * Map living as long as the index has its tables made in the old generation, so every question left some 30 KB
   * there for the next full collection (at 1,000 questions on 100,000 passages, ~100 MB of peak memory).
   */
  private seenValue: Float64Array | null = null;
  private seenAt: Int32Array | null = null;
  private queryNumber = 1;
  /**
   * Per word, for the query in use: 0 not looked at yet, 1 some of its terms are the query's, 2 none are (most words
   * of the candidates' rows: their terms are then not looked at again); the words looked at, to clear them after.
   */
  private readonly wordHits: Uint8Array;
  private readonly wordsLooked: Int32Array;
  private wordsLookedCount = 0;

  private constructor(
    private readonly vocabulary: StringTable,
    private readonly d: RowVectorsData,
    private readonly outer: OuterIdf | null = null,
  ) {
    this.scratch = new Float64Array(d.idf.length);
    this.counts = new Int32Array(d.idf.length);
    this.touched = new Int32Array(d.idf.length);
    this.wordHits = new Uint8Array(d.termStart.length);
    this.wordsLooked = new Int32Array(d.termStart.length);
  }

  idfOf(term: string): number | undefined {
    const id = this.vocabulary.id(term);
    return id === undefined ? undefined : this.d.idf[id];
  }

  /** The vectors as plain data (see matcher-cache.ts). */
  snapshot(): RowVectorsSnapshot {
    return { ...this.d, vocabulary: this.vocabulary.data() };
  }

  static restore(s: RowVectorsSnapshot): RowVectors {
    return new RowVectors(StringTable.restore(s.vocabulary), s);
  }

  get rows(): number {
    return this.d.vectorOf.length;
  }

  /** Made by RowVectorsBuilder (row-vectors-builder.ts), which adds rows one by one. */
  static assemble(vocabulary: StringTable, data: Omit<RowVectorsData, 'vocabulary'>, outer: OuterIdf | null): RowVectors {
    return new RowVectors(vocabulary, { ...data, vocabulary: vocabulary.data() }, outer);
  }

  has(term: string): boolean {
    return this.vocabulary.has(term);
  }

  /**
   * A text's unit-length vector as term id → weight; `extra` adds weighted terms (synonyms) beside the text's own.
   * The norm counts every term of the text, known or not: a query mostly made of terms no row has is not a close
   * match to a row that shares a few.
   */
  vector(terms: readonly string[], extra: ReadonlyArray<readonly [string, number]> = []): QueryVector {
    const idf = this.d.idf;
    const tf = new Map<number, number>();
    const unknownIdf = Math.log(this.rows + (this.outer?.rows ?? 0) + 1) + 1;
    let norm = 0;
    for (const term of terms) {
      const id = this.vocabulary.id(term);
      if (id === undefined) norm += (this.outer?.idfOf(term) ?? unknownIdf) ** 2;
      else tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    const out = new Map<number, number>();
    for (const [id, f] of tf) {
      const w = (1 + Math.log(f)) * idf[id]!;
      out.set(id, w);
      norm += w * w;
    }
    for (const [term, weight] of extra) {
      const id = this.vocabulary.id(term);
      if (id === undefined || out.has(id)) continue;
      const w = weight * idf[id]!;
      out.set(id, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    // The row's side of the product is (1 + log tf) · idf / its norm: the IDF is folded in here, once per question.
    for (const [id, w] of out) out.set(id, (w / norm) * idf[id]!);
    return new QueryVector(out, this.scratch, this.forget);
  }

  /** Clears what one query's comparisons noted (see `seenAt` and `wordHits`). */
  private readonly forget = (): void => {
    this.queryNumber++;
    for (let i = 0; i < this.wordsLookedCount; i++) this.wordHits[this.wordsLooked[i]!] = 0;
    this.wordsLookedCount = 0;
  };

  /** Cosine similarity of row `row` to the query vector in use (inside QueryVector.use), once per shared vector. */
  similarity(row: number): number {
    const { vectorOf, wordStart, words, termStart, terms, norms } = this.d;
    const v = vectorOf[row]!;
    const seenAt = (this.seenAt ??= new Int32Array(norms.length));
    const seenValue = (this.seenValue ??= new Float64Array(norms.length));
    if (seenAt[v] === this.queryNumber) return seenValue[v]!;
    const { scratch, counts, touched, wordHits } = this;
    // Only the terms the query has count: how often the vector has each of them.
    let n = 0;
    for (let k = wordStart[v]!; k < wordStart[v + 1]!; k++) {
      const w = words[k]!;
      const looked = wordHits[w]!;
      if (looked === 2) continue;
      let hits = 0;
      for (let t = termStart[w]!; t < termStart[w + 1]!; t++) {
        const id = terms[t]!;
        if (scratch[id] === 0) continue;
        hits++;
        const c = counts[id]!;
        counts[id] = c + 1;
        if (c === 0) touched[n++] = id;
      }
      if (looked === 0) {
        wordHits[w] = hits > 0 ? 1 : 2;
        this.wordsLooked[this.wordsLookedCount++] = w;
      }
    }
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const id = touched[i]!;
      const f = counts[id]!;
      sum += scratch[id]! * (f === 1 ? 1 : 1 + Math.log(f));
      counts[id] = 0;
    }
    sum /= norms[v]!;
    seenAt[v] = this.queryNumber;
    seenValue[v] = sum;
    return sum;
  }

  /** Per group of consecutive rows, the length of the sum of its rows' vectors (for similarity to its centroid). */
  groupNorms(groupStart: Int32Array): Float64Array {
    const { vectorOf, idf, norms } = this.d;
    const groups = groupStart.length - 1;
    const out = new Float64Array(groups);
    // The group's sum by term id, and the ids it touched in the order it first did.
    const sum = new Float64Array(idf.length);
    const touched = new Int32Array(idf.length);
    for (let g = 0; g < groups; g++) {
      let n = 0;
      for (let r = groupStart[g]!; r < groupStart[g + 1]!; r++) {
        const v = vectorOf[r]!;
        const terms = countTerms(this.d, v, this.counts, this.touched);
        for (let i = 0; i < terms; i++) {
          const id = this.touched[i]!;
          if (sum[id] === 0) touched[n++] = id;
          sum[id]! += ((1 + Math.log(this.counts[id]!)) * idf[id]!) / norms[v]!;
          this.counts[id] = 0;
        }
      }
      let squares = 0;
      for (let i = 0; i < n; i++) {
        squares += sum[touched[i]!]! * sum[touched[i]!]!;
        sum[touched[i]!] = 0;
      }
      out[g] = Math.sqrt(squares);
    }
    return out;
  }
}

/**
 * Counts the terms of vector `v`: its distinct terms go into `touched` (in the order first met, their number is
 * returned) and how often it has each into `counts`, which must be all zero before and be cleared by the caller
 * (`counts[touched[i]] = 0`) after reading them. A loop rather than a callback: at build time it runs for every vector.
 */
export function countTerms(d: Pick<RowVectorsData, 'wordStart' | 'words' | 'termStart' | 'terms'>, v: number, counts: Int32Array, touched: Int32Array): number {
  const { wordStart, words, termStart, terms } = d;
  let n = 0;
  for (let k = wordStart[v]!; k < wordStart[v + 1]!; k++) {
    const w = words[k]!;
    for (let t = termStart[w]!; t < termStart[w + 1]!; t++) {
      const id = terms[t]!;
      const c = counts[id]!;
      counts[id] = c + 1;
      if (c === 0) touched[n++] = id;
    }
  }
  return n;
}

/** A query's weights, written into the shared scratch array while rows are compared with it. */
export class QueryVector {
  constructor(
    private readonly weights: ReadonlyMap<number, number>,
    private readonly scratch: Float64Array,
    /** Clears what the comparisons noted about this query. */
    private readonly forget: () => void,
  ) {}

  /** Compares rows with this query: `compare` calls `similarity`; the scratch is clean again afterwards. */
  use<T>(compare: () => T): T {
    for (const [id, w] of this.weights) this.scratch[id] = w;
    try {
      return compare();
    } finally {
      for (const id of this.weights.keys()) this.scratch[id] = 0;
      this.forget();
    }
  }
}
