/**
 * Builds a BM25 index (bm25.ts) one document at a time, into flat typed arrays: a base of 100,000 passages has
 * millions of postings, and holding every document's terms as arrays of pairs until the end cost more heap and
 * garbage collection than the postings themselves.
 */
import { GrowableFloat32, GrowableFloat64, GrowableInt32 } from './growable.ts';
import { StringTable } from './string-table.ts';
import type { Bm25Options, Bm25Snapshot } from './bm25.ts';

/** Postings per block whose largest impact is kept: a block whose bound cannot lift a document into the top is skipped. */
export const BLOCK = 64;

export class Bm25Builder {
  /** Per caller's term id, its own + 1 (0: not seen yet): terms are numbered in the order they first appear. */
  private readonly local = new GrowableInt32(1024);
  /** Per own term id, the caller's. */
  private readonly callerId = new GrowableInt32(1024);
  private readonly df = new GrowableInt32(1024);
  /** Each document's distinct terms and their weighted frequencies, flat; document d's are docStart[d] .. docStart[d + 1] - 1. */
  private readonly docTerms = new GrowableInt32(1 << 16);
  private readonly docFreqs = new GrowableFloat32(1 << 16);
  private readonly docStart = new GrowableInt32(1024);
  private readonly lengths = new GrowableFloat64(1024);
  /** The document being added: per term its weighted frequency, the last document that had it, and its terms in order. */
  private readonly tf = new GrowableFloat64(1024);
  private readonly lastDoc = new GrowableInt32(1024);
  private readonly terms = new GrowableInt32(64);
  private length = 0;

  constructor() {
    this.docStart.push(0);
  }

  /** A term of the document being added (the caller's id for it), with the weight of the field it comes from. */
  add(id: number, weight: number): void {
    let t = this.local.get(id, 0) - 1;
    if (t < 0) {
      t = this.df.length;
      this.local.set(id, t + 1);
      this.callerId.push(id);
      this.df.push(0);
      this.tf.push(0);
      this.lastDoc.push(-1);
    }
    const doc = this.lengths.length;
    if (this.lastDoc.at(t) !== doc) {
      this.lastDoc.set(t, doc);
      this.tf.set(t, 0);
      this.terms.push(t);
    }
    this.tf.set(t, this.tf.at(t) + weight);
    this.length += weight;
  }

  /** Ends the document being added (one without terms is a document too). */
  endDocument(): void {
    for (let i = 0; i < this.terms.length; i++) {
      const t = this.terms.at(i);
      this.docTerms.push(t);
      this.docFreqs.push(this.tf.at(t));
      this.df.set(t, this.df.at(t) + 1);
    }
    this.terms.length = 0;
    this.docStart.push(this.docTerms.length);
    this.lengths.push(this.length);
    this.length = 0;
  }

  /**
   * The index as data. `nameOf`: the term of a caller's id; `outerAverage`: the average length of the index this one
   * is layered over (layered.ts).
   */
  finish(options: Bm25Options, nameOf: (id: number) => string, outerAverage: number | null): Bm25Snapshot {
    const terms = this.df.length;
    const docs = this.lengths.length;
    const lengths = this.lengths.trimmed();
    const df = this.df.view();
    const docStart = this.docStart.view();
    const docTerms = this.docTerms.view();
    const docFreqs = this.docFreqs.view();
    // The postings, grouped by term, in document order.
    const offsets = new Int32Array(terms + 1);
    for (let t = 0; t < terms; t++) offsets[t + 1] = offsets[t]! + df[t]!;
    const postingDocs = new Int32Array(docTerms.length);
    const postingFreqs = new Float32Array(docTerms.length);
    const fill = offsets.slice(0, terms);
    for (let doc = 0; doc < docs; doc++) {
      for (let k = docStart[doc]!; k < docStart[doc + 1]!; k++) {
        const at = fill[docTerms[k]!]!++;
        postingDocs[at] = doc;
        postingFreqs[at] = docFreqs[k]!;
      }
    }
    const avgLength = outerAverage ?? (lengths.reduce((a, b) => a + b, 0) / Math.max(1, docs) || 1);
    const { k1, b } = options;
    const impact = (p: number) => {
      const f = postingFreqs[p]!;
      return (f * (k1 + 1)) / (f + k1 * (1 - b + (b * lengths[postingDocs[p]!]!) / avgLength));
    };
    const blockStart = new Int32Array(terms + 1);
    for (let t = 0; t < terms; t++) blockStart[t + 1] = blockStart[t]! + Math.ceil(df[t]! / BLOCK);
    const blockMax = new Float32Array(blockStart[terms]!);
    for (let t = 0; t < terms; t++) {
      for (let j = 0; j < blockStart[t + 1]! - blockStart[t]!; j++) {
        let max = 0;
        const from = offsets[t]! + j * BLOCK;
        for (let p = from; p < Math.min(from + BLOCK, offsets[t + 1]!); p++) max = Math.max(max, impact(p));
        // Float32 may round down; a bound must never be below what it bounds.
        blockMax[blockStart[t]! + j] = max * (1 + 1e-6);
      }
    }
    return { options, termIds: StringTable.from(Array.from(this.callerId.view(), nameOf)).data(), offsets, postingDocs, postingFreqs, lengths, avgLength, blockStart, blockMax };
  }
}
