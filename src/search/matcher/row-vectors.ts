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

  /** Made by RowVectorsBuilder (row-vectors-builder.ts), which adds rows one by one. */
  static assemble(vocabulary: StringTable, idf: Float64Array, vectorOf: Int32Array, offsets: Int32Array, ids: Int32Array, weights: Float32Array, outer: OuterIdf | null): RowVectors {
    return new RowVectors(vocabulary, idf, vectorOf, offsets, ids, weights, outer);
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
    // The group's sum by term id, and the ids it touched in the order it first did (the sum's order, as a Map's).
    const sum = new Float64Array(this.idf.length);
    const touched = new Int32Array(this.idf.length);
    for (let g = 0; g < groups; g++) {
      let n = 0;
      for (let r = groupStart[g]!; r < groupStart[g + 1]!; r++) {
        const v = this.vectorOf[r]!;
        for (let k = this.offsets[v]!; k < this.offsets[v + 1]!; k++) {
          const id = this.ids[k]!;
          if (sum[id] === 0) touched[n++] = id;
          sum[id]! += this.weights[k]!;
        }
      }
      let squares = 0;
      for (let i = 0; i < n; i++) {
        squares += sum[touched[i]!]! * sum[touched[i]!]!;
        sum[touched[i]!] = 0;
      }
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
