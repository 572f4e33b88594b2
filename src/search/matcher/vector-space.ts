/**
 * TF-IDF vectors over a fixed set of rows (sublinear term frequency, smoothed IDF, unit length) with an inverted
 * index, so a query's cosine similarity to every row costs one pass over the postings of its own terms.
 */
export interface SparseVector {
  ids: number[];
  weights: number[];
}

/**
 * The statistics of a larger index that a small one layered over it weighs its terms with (layered.ts), so that the
 * small one's similarities are those a single index of both would give (up to the small one's own few rows).
 */
export interface OuterIdf {
  /** The term's IDF there, or undefined when it does not have the term. */
  idfOf(term: string): number | undefined;
  readonly rows: number;
}

export class VectorSpace {
  /**
   * Term t's postings are postingRows[offsets[t]] .. postingRows[offsets[t + 1] - 1], in row order: flat typed arrays,
   * since character n-grams make hundreds of thousands of terms and an array per term costs more than its postings.
   */
  private constructor(
    private readonly vocabulary: Map<string, number>,
    private readonly idf: Float64Array,
    private readonly offsets: Int32Array,
    private readonly postingRows: Int32Array,
    private readonly postingWeights: Float32Array,
    readonly rows: number,
    private readonly outer: OuterIdf | null = null,
  ) {}

  /** `rows[i]` is row i's terms, repeated as often as they occur; `outer`: weigh them as the index it is layered over. */
  static build(rows: ReadonlyArray<readonly string[]>, outer: OuterIdf | null = null): VectorSpace {
    // Flat arrays rather than a tuple per posting: building is dominated by allocation otherwise.
    const vocabulary = new Map<string, number>();
    const rowStart = new Int32Array(rows.length + 1);
    const termIds: number[] = [];
    const termCounts: number[] = [];
    const df: number[] = [];
    const tf = new Map<number, number>();
    rows.forEach((terms, row) => {
      rowStart[row] = termIds.length;
      tf.clear();
      for (const term of terms) {
        let id = vocabulary.get(term);
        if (id === undefined) vocabulary.set(term, (id = vocabulary.size)), df.push(0);
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      for (const [id, f] of tf) termIds.push(id), termCounts.push(f), df[id]!++;
    });
    rowStart[rows.length] = termIds.length;
    const total = rows.length + (outer?.rows ?? 0);
    const terms = [...vocabulary.keys()];
    const idf = Float64Array.from(df, (d, id) => outer?.idfOf(terms[id]!) ?? Math.log((total + 1) / (d + 1)) + 1);
    const offsets = new Int32Array(df.length + 1);
    for (let t = 0; t < df.length; t++) offsets[t + 1] = offsets[t]! + df[t]!;
    const postingRows = new Int32Array(termIds.length);
    const postingWeights = new Float32Array(termIds.length);
    const fill = offsets.slice(0, df.length);
    for (let row = 0; row < rows.length; row++) {
      let norm = 0;
      for (let k = rowStart[row]!; k < rowStart[row + 1]!; k++) norm += ((1 + Math.log(termCounts[k]!)) * idf[termIds[k]!]!) ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let k = rowStart[row]!; k < rowStart[row + 1]!; k++) {
        const id = termIds[k]!;
        const at = fill[id]!++;
        postingRows[at] = row;
        postingWeights[at] = ((1 + Math.log(termCounts[k]!)) * idf[id]!) / norm;
      }
    }
    return new VectorSpace(vocabulary, idf, offsets, postingRows, postingWeights, rows.length, outer);
  }

  has(term: string): boolean {
    return this.vocabulary.has(term);
  }

  idfOf(term: string): number | undefined {
    const id = this.vocabulary.get(term);
    return id === undefined ? undefined : this.idf[id];
  }

  /** A text's unit-length vector; `extra` adds weighted terms (synonyms) beside the text's own. Unknown terms are dropped. */
  vector(terms: readonly string[], extra: ReadonlyArray<readonly [string, number]> = []): SparseVector {
    const tf = new Map<number, number>();
    for (const term of terms) {
      const id = this.vocabulary.get(term);
      if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    const weights = new Map<number, number>();
    let norm = 0;
    // The norm counts every term of the text, known or not: a query mostly made of words no row has is not a
    // close match to a row that shares its one known word.
    const unknownIdf = Math.log(this.rows + (this.outer?.rows ?? 0) + 1) + 1;
    for (const t of terms) if (!this.vocabulary.has(t)) norm += (this.outer?.idfOf(t) ?? unknownIdf) ** 2;
    for (const [id, f] of tf) {
      const w = (1 + Math.log(f)) * this.idf[id]!;
      weights.set(id, w);
      norm += w * w;
    }
    for (const [term, weight] of extra) {
      const id = this.vocabulary.get(term);
      if (id === undefined || weights.has(id)) continue;
      const w = weight * this.idf[id]!;
      weights.set(id, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    const ids = [...weights.keys()];
    return { ids, weights: ids.map((id) => weights.get(id)! / norm) };
  }

  /**
   * Per group of rows, the length of the sum of its rows' vectors (for cosine similarity to a group's centroid).
   * A group's rows must be consecutive (postings are in row order, so a group's entries for a term are adjacent).
   */
  groupNorms(groupOf: Int32Array, groups: number): Float64Array {
    const squares = new Float64Array(groups);
    for (let id = 0; id + 1 < this.offsets.length; id++) {
      let group = -1;
      let sum = 0;
      for (let j = this.offsets[id]!; j < this.offsets[id + 1]!; j++) {
        const g = groupOf[this.postingRows[j]!]!;
        if (g !== group) {
          if (group >= 0) squares[group]! += sum * sum;
          group = g;
          sum = 0;
        }
        sum += this.postingWeights[j]!;
      }
      if (group >= 0) squares[group]! += sum * sum;
    }
    return squares.map(Math.sqrt);
  }

  /** Adds the cosine similarity of `query` to each row into `into` (length `rows`). */
  accumulate(query: SparseVector, into: Float64Array, scale = 1): void {
    for (let k = 0; k < query.ids.length; k++) {
      const id = query.ids[k]!;
      const w = query.weights[k]! * scale;
      for (let j = this.offsets[id]!; j < this.offsets[id + 1]!; j++) into[this.postingRows[j]!]! += w * this.postingWeights[j]!;
    }
  }
}
