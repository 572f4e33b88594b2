/**
 * TF-IDF vectors over a fixed set of rows (sublinear term frequency, smoothed IDF, unit length) with an inverted
 * index, so a query's cosine similarity to every row costs one pass over the postings of its own terms.
 */
export interface SparseVector {
  ids: number[];
  weights: number[];
}

export class VectorSpace {
  private constructor(
    private readonly vocabulary: Map<string, number>,
    private readonly idf: Float64Array,
    private readonly postingRows: Int32Array[],
    private readonly postingWeights: Float64Array[],
    readonly rows: number,
  ) {}

  /** `rows[i]` is row i's terms, repeated as often as they occur; `rowWeights` scales a row's terms (default 1). */
  static build(rows: ReadonlyArray<readonly string[]>): VectorSpace {
    const vocabulary = new Map<string, number>();
    const counts = rows.map((terms) => {
      const tf = new Map<number, number>();
      for (const term of terms) {
        let id = vocabulary.get(term);
        if (id === undefined) vocabulary.set(term, (id = vocabulary.size));
        tf.set(id, (tf.get(id) ?? 0) + 1);
      }
      return tf;
    });
    const df = new Float64Array(vocabulary.size);
    for (const tf of counts) for (const id of tf.keys()) df[id]!++;
    const idf = df.map((d) => Math.log((rows.length + 1) / (d + 1)) + 1);
    const lists: Array<Array<[number, number]>> = Array.from({ length: vocabulary.size }, () => []);
    counts.forEach((tf, row) => {
      let norm = 0;
      const entries = [...tf].map(([id, f]) => {
        const w = (1 + Math.log(f)) * idf[id]!;
        norm += w * w;
        return [id, w] as const;
      });
      norm = Math.sqrt(norm) || 1;
      for (const [id, w] of entries) lists[id]!.push([row, w / norm]);
    });
    return new VectorSpace(
      vocabulary,
      idf,
      lists.map((l) => Int32Array.from(l, (e) => e[0])),
      lists.map((l) => Float64Array.from(l, (e) => e[1])),
      rows.length,
    );
  }

  has(term: string): boolean {
    return this.vocabulary.has(term);
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
    const unknown = terms.filter((t) => !this.vocabulary.has(t)).length;
    norm += unknown * (Math.log(this.rows + 1) + 1) ** 2;
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

  /** Per group of rows, the length of the sum of its rows' vectors (for cosine similarity to a group's centroid). */
  groupNorms(groupOf: Int32Array, groups: number): Float64Array {
    const squares = new Float64Array(groups);
    const sums = new Map<number, number>();
    for (let id = 0; id < this.postingRows.length; id++) {
      sums.clear();
      const rows = this.postingRows[id]!;
      const weights = this.postingWeights[id]!;
      for (let j = 0; j < rows.length; j++) {
        const g = groupOf[rows[j]!]!;
        sums.set(g, (sums.get(g) ?? 0) + weights[j]!);
      }
      for (const [g, sum] of sums) squares[g]! += sum * sum;
    }
    return squares.map(Math.sqrt);
  }

  /** Adds the cosine similarity of `query` to each row into `into` (length `rows`). */
  accumulate(query: SparseVector, into: Float64Array, scale = 1): void {
    for (let k = 0; k < query.ids.length; k++) {
      const id = query.ids[k]!;
      const w = query.weights[k]! * scale;
      const rows = this.postingRows[id]!;
      const weights = this.postingWeights[id]!;
      for (let j = 0; j < rows.length; j++) into[rows[j]!]! += w * weights[j]!;
    }
  }
}
