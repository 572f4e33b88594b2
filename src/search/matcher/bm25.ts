/**
 * BM25 over whole documents whose fields count with different weights (BM25F's simple form: a term's frequency
 * is the weighted sum over fields, the length the weighted length), normalised to [0, 1] by the score a document
 * would get that contained every query term with a high frequency.
 */
export interface Bm25Options {
  k1: number;
  b: number;
}

export class Bm25 {
  private readonly postings = new Map<string, Array<[number, number]>>();
  private readonly lengths: Float64Array;
  private readonly avgLength: number;

  /** `docs[i]`: document i's terms with the weight of the field each came from. */
  constructor(docs: ReadonlyArray<ReadonlyArray<readonly [string, number]>>, private readonly options: Bm25Options) {
    this.lengths = new Float64Array(docs.length);
    docs.forEach((terms, doc) => {
      const tf = new Map<string, number>();
      for (const [term, weight] of terms) {
        tf.set(term, (tf.get(term) ?? 0) + weight);
        this.lengths[doc]! += weight;
      }
      for (const [term, f] of tf) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push([doc, f]);
      }
    });
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length) || 1;
  }

  get docs(): number {
    return this.lengths.length;
  }

  /** Inverse document frequency (BM25's, never negative); an unknown term gets the highest. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  /**
   * Adds each document's normalised score into `scores` and the IDF share of the query terms it contains into
   * `coverage`. `terms`: distinct query terms with a weight (1 for the query's own, less for synonyms).
   */
  score(terms: ReadonlyArray<readonly [string, number]>, scores: Float64Array, coverage: Float64Array): void {
    const { k1, b } = this.options;
    let total = 0;
    let totalIdf = 0;
    for (const [term, weight] of terms) {
      const idf = this.idf(term);
      total += weight * idf * (k1 + 1);
      if (weight >= 1) totalIdf += idf;
    }
    if (total <= 0) return;
    for (const [term, weight] of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const [doc, f] of list) {
        const norm = k1 * (1 - b + (b * this.lengths[doc]!) / this.avgLength);
        scores[doc]! += (weight * idf * f * (k1 + 1)) / (f + norm) / total;
        if (weight >= 1 && totalIdf > 0) coverage[doc]! += idf / totalIdf;
      }
    }
  }
}
