/**
 * TF-IDF vectors stored row by row (sublinear term frequency, smoothed IDF, unit length), for similarities computed
 * only for the rows asked about. Character n-grams need this: the common ones occur in nearly every row, so an
 * inverted index would walk most of a large knowledge base for every question, while a question's candidates are a
 * few hundred rows. Rows with the same words share one vector (every passage of an article repeats its title and
 * example questions). Flat typed arrays: row r's terms are ids[offsets[v]] .. ids[offsets[v + 1] - 1], sorted,
 * where v = vectorOf[r].
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

export class RowVectors {
  /** The query's weights by term id, reused between questions (only the query's own entries are ever non-zero). */
  private readonly scratch: Float64Array;

  private constructor(
    private readonly vocabulary: StringTable,
    private readonly idf: Float64Array,
    private readonly vectorOf: Int32Array,
    private readonly offsets: Int32Array,
    private readonly ids: Int32Array,
    private readonly weights: Float32Array,
    private readonly outer: OuterIdf | null = null,
  ) {
    this.scratch = new Float64Array(idf.length);
  }

  idfOf(term: string): number | undefined {
    const id = this.vocabulary.id(term);
    return id === undefined ? undefined : this.idf[id];
  }

  /** The similarities computed for the query in use, by vector (rows share vectors); emptied after each query. */
  private readonly seen = new Map<number, number>();

  /** The vectors as plain data (see matcher-cache.ts). */
  snapshot(): RowVectorsSnapshot {
    return { vocabulary: this.vocabulary.data(), idf: this.idf, vectorOf: this.vectorOf, offsets: this.offsets, ids: this.ids, weights: this.weights };
  }

  static restore(s: RowVectorsSnapshot): RowVectors {
    return new RowVectors(StringTable.restore(s.vocabulary), s.idf, s.vectorOf, s.offsets, s.ids, s.weights);
  }

  get rows(): number {
    return this.vectorOf.length;
  }

  /**
   * `rows[i]` is row i's words; `termsOf` gives a word's terms (its character n-grams), computed once per distinct
   * word: a large base repeats its words far more often than it has distinct ones.
   */
  static build(rows: ReadonlyArray<readonly string[]>, termsOf: (word: string) => string[], outer: OuterIdf | null = null): RowVectors {
    const vocabulary = new Map<string, number>();
    const df: number[] = [];
    const idsOf = new Map<string, Int32Array>();
    const termIds = (word: string): Int32Array => {
      let ids = idsOf.get(word);
      if (!ids) {
        ids = Int32Array.from(termsOf(word), (term) => {
          let id = vocabulary.get(term);
          if (id === undefined) vocabulary.set(term, (id = df.length)), df.push(0);
          return id;
        });
        idsOf.set(word, ids);
      }
      return ids;
    };
    // Document frequencies count every row, repeated or not, so that sharing a vector changes no weight.
    const vectorOf = new Int32Array(rows.length);
    const vectorByText = new Map<string, number>();
    const perVector: Array<Map<number, number>> = [];
    rows.forEach((words, r) => {
      const text = words.join(' ');
      let v = vectorByText.get(text);
      if (v === undefined) {
        const tf = new Map<number, number>();
        for (const word of words) for (const id of termIds(word)) tf.set(id, (tf.get(id) ?? 0) + 1);
        vectorByText.set(text, (v = perVector.length));
        perVector.push(tf);
      }
      vectorOf[r] = v;
      for (const id of perVector[v]!.keys()) df[id]!++;
    });
    // Layered over a larger index (layered.ts): its weights where it has the term, as one index of both would.
    const total = rows.length + (outer?.rows ?? 0);
    const terms = outer ? [...vocabulary.keys()] : [];
    const idf = Float64Array.from(df, (d, id) => outer?.idfOf(terms[id]!) ?? Math.log((total + 1) / (d + 1)) + 1);
    const offsets = new Int32Array(perVector.length + 1);
    perVector.forEach((tf, v) => (offsets[v + 1] = offsets[v]! + tf.size));
    const ids = new Int32Array(offsets[perVector.length]!);
    const weights = new Float32Array(offsets[perVector.length]!);
    perVector.forEach((tf, r) => {
      const sorted = [...tf].sort((a, b) => a[0] - b[0]);
      let norm = 0;
      for (const [id, f] of sorted) norm += ((1 + Math.log(f)) * idf[id]!) ** 2;
      norm = Math.sqrt(norm) || 1;
      sorted.forEach(([id, f], k) => {
        ids[offsets[r]! + k] = id;
        weights[offsets[r]! + k] = ((1 + Math.log(f)) * idf[id]!) / norm;
      });
    });
    return new RowVectors(StringTable.from([...vocabulary.keys()]), idf, vectorOf, offsets, ids, weights, outer);
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
      const w = (1 + Math.log(f)) * this.idf[id]!;
      out.set(id, w);
      norm += w * w;
    }
    for (const [term, weight] of extra) {
      const id = this.vocabulary.id(term);
      if (id === undefined || out.has(id)) continue;
      const w = weight * this.idf[id]!;
      out.set(id, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [id, w] of out) out.set(id, w / norm);
    return new QueryVector(out, this.scratch, this.seen);
  }

  /** Cosine similarity of row `row` to the query vector in use (inside QueryVector.use), once per shared vector. */
  similarity(row: number): number {
    const v = this.vectorOf[row]!;
    const known = this.seen.get(v);
    if (known !== undefined) return known;
    let sum = 0;
    for (let k = this.offsets[v]!; k < this.offsets[v + 1]!; k++) sum += this.scratch[this.ids[k]!]! * this.weights[k]!;
    this.seen.set(v, sum);
    return sum;
  }

  /** Per group of consecutive rows, the length of the sum of its rows' vectors (for similarity to its centroid). */
  groupNorms(groupStart: Int32Array): Float64Array {
    const groups = groupStart.length - 1;
    const norms = new Float64Array(groups);
    const sum = new Map<number, number>();
    for (let g = 0; g < groups; g++) {
      sum.clear();
      for (let r = groupStart[g]!; r < groupStart[g + 1]!; r++) {
        const v = this.vectorOf[r]!;
        for (let k = this.offsets[v]!; k < this.offsets[v + 1]!; k++) sum.set(this.ids[k]!, (sum.get(this.ids[k]!) ?? 0) + this.weights[k]!);
      }
      let squares = 0;
      for (const v of sum.values()) squares += v * v;
      norms[g] = Math.sqrt(squares);
    }
    return norms;
  }
}

/** A query's weights, written into the shared scratch array while rows are compared with it. */
export class QueryVector {
  constructor(
    private readonly weights: ReadonlyMap<number, number>,
    private readonly scratch: Float64Array,
    private readonly seen: Map<number, number>,
  ) {}

  /** Compares rows with this query: `compare` calls `similarity`; the scratch is clean again afterwards. */
  use<T>(compare: () => T): T {
    for (const [id, w] of this.weights) this.scratch[id] = w;
    try {
      return compare();
    } finally {
      for (const id of this.weights.keys()) this.scratch[id] = 0;
      this.seen.clear();
    }
  }
}

export interface RowVectorsSnapshot {
  vocabulary: StringTableData;
  idf: Float64Array;
  vectorOf: Int32Array;
  offsets: Int32Array;
  ids: Int32Array;
  weights: Float32Array;
}
