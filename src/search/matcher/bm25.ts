/**
 * BM25 over whole documents whose fields count with different weights (BM25F's simple form: a term's frequency
 * is the weighted sum over fields, the length the weighted length), normalised to [0, 1] by the score a document
 * would get that contained every query term with a high frequency. Postings are flat typed arrays (one offset per
 * term into one array of documents and one of frequencies): a knowledge base of 100,000 passages holds millions of
 * them, and an object per posting would cost more than the text itself.
 */
import { StringTable, type StringTableData } from './string-table.ts';
import { TopHeap, type TopDocs } from './top-heap.ts';
import { BLOCK, Bm25Builder } from './bm25-builder.ts';

export interface Bm25Options {
  k1: number;
  b: number;
}

export { BLOCK };

export interface Bm25Snapshot {
  options: Bm25Options;
  termIds: StringTableData;
  offsets: Int32Array;
  postingDocs: Int32Array;
  postingFreqs: Float32Array;
  lengths: Float64Array;
  avgLength: number;
  blockStart: Int32Array;
  blockMax: Float32Array;
}

export class Bm25 {
  private readonly termIds: StringTable;
  /** Term t's postings are postingDocs[offsets[t]] .. postingDocs[offsets[t + 1] - 1], in document order. */
  private readonly offsets: Int32Array;
  private readonly postingDocs: Int32Array;
  private readonly postingFreqs: Float32Array;
  private readonly lengths: Float64Array;
  private readonly avgLength: number;
  /**
   * Term t's blocks are blockStart[t] .. blockStart[t + 1] - 1; block j covers BLOCK postings from offsets[t] + j·BLOCK.
   * blockMax: the largest impact f·(k1 + 1) / (f + norm) in each block (the part of a score that is not the query's).
   */
  private readonly blockStart: Int32Array;
  private readonly blockMax: Float32Array;
  private readonly options: Bm25Options;
  /** Layered over a larger index (layered.ts): IDF counts its documents too, and lengths are measured against its average. */
  private readonly outer: Bm25 | null;

  /** `outer`: the index this one is layered over (layered.ts). */
  constructor(data: Bm25Snapshot, outer: Bm25 | null = null) {
    this.outer = outer;
    this.options = data.options;
    this.termIds = StringTable.restore(data.termIds);
    this.offsets = data.offsets;
    this.postingDocs = data.postingDocs;
    this.postingFreqs = data.postingFreqs;
    this.lengths = data.lengths;
    this.avgLength = data.avgLength;
    this.blockStart = data.blockStart;
    this.blockMax = data.blockMax;
  }

  /** `docs[i]`: document i's terms with the weight of the field each came from (the index builds them one by one: Bm25Builder). */
  static build(docs: ReadonlyArray<ReadonlyArray<readonly [string, number]>>, options: Bm25Options, outer: Bm25 | null = null): Bm25 {
    const builder = new Bm25Builder();
    const ids = new Map<string, number>();
    for (const terms of docs) {
      for (const [term, weight] of terms) {
        let id = ids.get(term);
        if (id === undefined) ids.set(term, (id = ids.size));
        builder.add(id, weight);
      }
      builder.endDocument();
    }
    const names = [...ids.keys()];
    return new Bm25(builder.finish(options, (id) => names[id]!, outer?.avgLength ?? null), outer);
  }

  /** The average weighted length of its documents (a layer over it measures lengths against it). */
  get averageLength(): number {
    return this.avgLength;
  }

  /** Posting p's share of a score before the query's term weight: f·(k1 + 1) / (f + norm of its document). */
  private impact(p: number): number {
    const { k1, b } = this.options;
    const f = this.postingFreqs[p]!;
    return (f * (k1 + 1)) / (f + k1 * (1 - b + (b * this.lengths[this.postingDocs[p]!]!) / this.avgLength));
  }

  /** The index as plain data (see matcher-cache.ts); `new Bm25(snapshot)` gives it back. */
  snapshot(): Bm25Snapshot {
    const { options, offsets, postingDocs, postingFreqs, lengths, avgLength, blockStart, blockMax } = this;
    return { options, termIds: this.termIds.data(), offsets, postingDocs, postingFreqs, lengths, avgLength, blockStart, blockMax };
  }

  get docs(): number {
    return this.lengths.length;
  }

  /** How many documents have the term. */
  df(term: string): number {
    const id = this.termIds.id(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /** How many distinct terms the documents use (the base's included, for a layer over it). */
  get terms(): number {
    if (!this.outer) return this.termIds.size;
    if (this.ownNewTerms === undefined) {
      this.ownNewTerms = 0;
      for (let id = 0; id < this.termIds.size; id++) if (!this.outer.knows(this.termIds.at(id))) this.ownNewTerms++;
    }
    return this.outer.terms + this.ownNewTerms;
  }

  /** A layer's terms that the index under it does not have (counted once, when first asked). */
  private ownNewTerms: number | undefined;

  /** Whether any document, here or in the index this one is layered over, has the term. */
  knows(term: string): boolean {
    return this.df(term) > 0 || (this.outer?.knows(term) ?? false);
  }

  /** Inverse document frequency (BM25's, never negative); an unknown term gets the highest. */
  idf(term: string): number {
    const docs = this.docs + (this.outer?.docs ?? 0);
    const df = this.df(term) + (this.outer?.df(term) ?? 0);
    return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
  }

  /** What scores are divided by (the score of a document with every term at a high frequency), and the terms' IDF sum. */
  private totals(terms: ReadonlyArray<readonly [string, number]>): { total: number; totalIdf: number } {
    let total = 0;
    let totalIdf = 0;
    for (const [term, weight] of terms) {
      const idf = this.idf(term);
      total += weight * idf * (this.options.k1 + 1);
      if (weight >= 1) totalIdf += idf;
    }
    return { total, totalIdf };
  }

  /**
   * Adds each document's normalised score into `scores` and the IDF share of the query terms it contains into
   * `coverage`, and calls `touched` once for each document a query term reaches (the only ones whose scores change).
   * `terms`: distinct query terms with a weight (1 for the query's own, less for synonyms).
   */
  score(terms: ReadonlyArray<readonly [string, number]>, scores: Float64Array, coverage: Float64Array, touched?: (doc: number) => void): void {
    const { k1, b } = this.options;
    const { total, totalIdf } = this.totals(terms);
    if (total <= 0) return;
    for (const [term, weight] of terms) {
      const id = this.termIds.id(term);
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

  /**
   * The `k` documents with the highest scores (as `score` computes them, with their coverage), without scoring every
   * document a term reaches: MaxScore over the terms' postings, document at a time. Terms are ordered by the most
   * they can add; once the k-th best score is above what the weakest terms together can give, a document that has
   * none of the other terms cannot enter, so only the other terms' postings are walked, and each document they reach
   * is looked up in the weak terms' postings, block by block, until its bound (its score so far, the blocks' largest
   * impacts and the rest) falls below the k-th best. Every term of the query is scored for every document that can
   * still enter; a tie with the k-th best keeps the earlier document.
   */
  top(terms: ReadonlyArray<readonly [string, number]>, k: number): TopDocs {
    const { total, totalIdf } = this.totals(terms);
    const lists: Array<{ id: number; scale: number; share: number; bound: number; at: number; end: number; block: number; lastBlock: number }> = [];
    if (total > 0) {
      for (const [term, weight] of terms) {
        const id = this.termIds.id(term);
        if (id === undefined) continue;
        const idf = this.idf(term);
        const scale = (weight * idf) / total;
        let max = 0;
        for (let j = this.blockStart[id]!; j < this.blockStart[id + 1]!; j++) max = Math.max(max, this.blockMax[j]!);
        lists.push({ id, scale, share: weight >= 1 && totalIdf > 0 ? idf / totalIdf : 0, bound: scale * max, at: this.offsets[id]!, end: this.offsets[id + 1]!, block: this.blockStart[id]!, lastBlock: this.blockStart[id + 1]! });
      }
    }
    lists.sort((a, b) => a.bound - b.bound);
    const n = lists.length;
    // upTo[i]: the most terms 0..i together can add.
    const upTo = new Float64Array(n);
    for (let i = 0, sum = 0; i < n; i++) upTo[i] = sum += lists[i]!.bound;
    const heap = new TopHeap(k);
    let essential = 0;
    for (;;) {
      let doc = Number.MAX_SAFE_INTEGER;
      const floor = heap.floor();
      for (let i = essential; i < n; i++) {
        const l = lists[i]!;
        // Blocks of this term where no document can enter, whatever other terms it has, are passed over whole.
        if (floor > 0 && l.at < l.end) {
          const first = this.offsets[l.id]! - this.blockStart[l.id]! * BLOCK;
          const others = upTo[n - 1]! - l.bound;
          let block = ((l.at - first) / BLOCK) | 0;
          if (l.scale * this.blockMax[block]! + others <= floor) {
            while (block < l.lastBlock && l.scale * this.blockMax[block]! + others <= floor) block++;
            l.at = block === l.lastBlock ? l.end : first + block * BLOCK;
          }
        }
        if (l.at < l.end && this.postingDocs[l.at]! < doc) doc = this.postingDocs[l.at]!;
      }
      if (doc === Number.MAX_SAFE_INTEGER) break;
      let score = 0;
      let coverage = 0;
      for (let i = essential; i < n; i++) {
        const l = lists[i]!;
        if (l.at < l.end && this.postingDocs[l.at]! === doc) {
          score += l.scale * this.impact(l.at);
          coverage += l.share;
          l.at++;
        }
      }
      let entered = true;
      for (let i = essential - 1; i >= 0; i--) {
        if (score + upTo[i]! <= floor) {
          entered = false;
          break;
        }
        const l = lists[i]!;
        // The block that may hold doc: the first whose last posting is not before it (block j of the term ends at
        // posting offsets + (j + 1)·BLOCK - 1, the last block at the term's end).
        const first = this.offsets[l.id]! - this.blockStart[l.id]! * BLOCK;
        while (l.block < l.lastBlock && this.postingDocs[Math.min(first + (l.block + 1) * BLOCK, l.end) - 1]! < doc) l.block++;
        if (l.block === l.lastBlock) {
          l.at = l.end;
          continue;
        }
        if (score + l.scale * this.blockMax[l.block]! + (i > 0 ? upTo[i - 1]! : 0) <= floor) {
          entered = false;
          break;
        }
        l.at = Math.max(l.at, first + l.block * BLOCK);
        while (this.postingDocs[l.at]! < doc) l.at++;
        if (this.postingDocs[l.at]! === doc) {
          score += l.scale * this.impact(l.at);
          coverage += l.share;
        }
      }
      if (!entered || !heap.offer(doc, score, coverage)) continue;
      const raised = heap.floor();
      while (essential < n && upTo[essential]! <= raised) essential++;
    }
    return heap.inDocOrder();
  }
}
