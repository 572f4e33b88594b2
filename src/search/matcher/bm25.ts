/**
 * BM25 over whole documents whose fields count with different weights (BM25F's simple form: a term's frequency
 * is the weighted sum over fields, the length the weighted length), normalised to [0, 1] by the score a document
 * would get that contained every query term with a high frequency. Postings are flat typed arrays (one offset per
 * term into one array of documents and one of frequencies): a knowledge base of 100,000 passages holds millions of
 * them, and an object per posting would cost more than the text itself.
 */
export interface Bm25Options {
  k1: number;
  b: number;
}

export class Bm25 {
  private readonly termIds = new Map<string, number>();
  /** Term t's postings are postingDocs[offsets[t]] .. postingDocs[offsets[t + 1] - 1], in document order. */
  private readonly offsets: Int32Array;
  private readonly postingDocs: Int32Array;
  private readonly postingFreqs: Float32Array;
  private readonly lengths: Float64Array;
  private readonly avgLength: number;
  /** Layered over a larger index (layered.ts): IDF counts its documents too, and lengths are measured against its average. */
  private readonly outer: Bm25 | null;

  /** `docs[i]`: document i's terms with the weight of the field each came from. */
  constructor(docs: ReadonlyArray<ReadonlyArray<readonly [string, number]>>, private readonly options: Bm25Options, outer: Bm25 | null = null) {
    this.outer = outer;
    this.lengths = new Float64Array(docs.length);
    // First pass: each document's distinct terms and frequencies, flat, and each term's document frequency.
    const docTerms: number[] = [];
    const docFreqs: number[] = [];
    const docStart = new Int32Array(docs.length + 1);
    const df: number[] = [];
    const tf = new Map<number, number>();
    docs.forEach((terms, doc) => {
      docStart[doc] = docTerms.length;
      tf.clear();
      for (const [term, weight] of terms) {
        let id = this.termIds.get(term);
        if (id === undefined) this.termIds.set(term, (id = df.length)), df.push(0);
        tf.set(id, (tf.get(id) ?? 0) + weight);
        this.lengths[doc]! += weight;
      }
      for (const [id, f] of tf) docTerms.push(id), docFreqs.push(f), df[id]!++;
    });
    docStart[docs.length] = docTerms.length;
    // Second pass: the postings, grouped by term.
    this.offsets = new Int32Array(df.length + 1);
    for (let t = 0; t < df.length; t++) this.offsets[t + 1] = this.offsets[t]! + df[t]!;
    this.postingDocs = new Int32Array(docTerms.length);
    this.postingFreqs = new Float32Array(docTerms.length);
    const fill = this.offsets.slice(0, df.length);
    for (let doc = 0; doc < docs.length; doc++) {
      for (let k = docStart[doc]!; k < docStart[doc + 1]!; k++) {
        const at = fill[docTerms[k]!]!++;
        this.postingDocs[at] = doc;
        this.postingFreqs[at] = docFreqs[k]!;
      }
    }
    this.avgLength = outer ? outer.avgLength : this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs.length) || 1;
  }

  get docs(): number {
    return this.lengths.length;
  }

  /** How many documents have the term. */
  df(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /** Inverse document frequency (BM25's, never negative); an unknown term gets the highest. */
  idf(term: string): number {
    // `outer` is undefined, not null, in an index restored from its kept copy (matcher-cache.ts).
    const outer = this.outer ?? null;
    const docs = this.docs + (outer?.docs ?? 0);
    const df = this.df(term) + (outer?.df(term) ?? 0);
    return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  }

  /**
   * Adds each document's normalised score into `scores` and the IDF share of the query terms it contains into
   * `coverage`, and calls `touched` once for each document a query term reaches (the only ones whose scores change).
   * `terms`: distinct query terms with a weight (1 for the query's own, less for synonyms).
   */
  score(terms: ReadonlyArray<readonly [string, number]>, scores: Float64Array, coverage: Float64Array, touched?: (doc: number) => void): void {
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
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term);
      for (let p = this.offsets[id]!; p < this.offsets[id + 1]!; p++) {
        const doc = this.postingDocs[p]!;
        const f = this.postingFreqs[p]!;
        const norm = k1 * (1 - b + (b * this.lengths[doc]!) / this.avgLength);
        if (touched && scores[doc] === 0 && coverage[doc] === 0) touched(doc);
        scores[doc]! += (weight * idf * f * (k1 + 1)) / (f + norm) / total;
        if (weight >= 1 && totalIdf > 0) coverage[doc]! += idf / totalIdf;
      }
    }
  }
}
