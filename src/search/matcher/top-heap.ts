/** The top documents of a query by BM25 (see Bm25.top), in document order. */
export interface TopDocs {
  docs: Int32Array;
  scores: Float64Array;
  coverage: Float64Array;
}

/** The k best (score, document) pairs seen so far: a binary min-heap on score, the later document lower on a tie. */
export class TopHeap {
  private readonly docs: Int32Array;
  private readonly scores: Float64Array;
  private readonly coverage: Float64Array;
  private size = 0;

  constructor(private readonly k: number) {
    this.docs = new Int32Array(k);
    this.scores = new Float64Array(k);
    this.coverage = new Float64Array(k);
  }

  /** What a document must beat to enter: 0 until k are in (every document with a score > 0 enters then). */
  floor(): number {
    return this.size < this.k ? 0 : this.scores[0]!;
  }

  /** Keeps the document if it is among the k best so far; whether it was kept. */
  offer(doc: number, score: number, coverage: number): boolean {
    if (score <= this.floor()) return false;
    let i: number;
    if (this.size < this.k) {
      i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.below(score, doc, parent)) break;
        this.move(parent, i);
        i = parent;
      }
    } else {
      i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= this.size) break;
        const child = left + 1 < this.size && this.lower(left + 1, left) ? left + 1 : left;
        if (this.lowerThan(child, score, doc)) {
          this.move(child, i);
          i = child;
        } else break;
      }
    }
    this.docs[i] = doc;
    this.scores[i] = score;
    this.coverage[i] = coverage;
    return true;
  }

  inDocOrder(): TopDocs {
    // Slots sorted by document: each key is doc · k + slot, sorted as numbers.
    const keys = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) keys[i] = this.docs[i]! * this.k + i;
    keys.sort();
    const out: TopDocs = { docs: new Int32Array(this.size), scores: new Float64Array(this.size), coverage: new Float64Array(this.size) };
    keys.forEach((key, j) => {
      const i = key % this.k;
      out.docs[j] = this.docs[i]!;
      out.scores[j] = this.scores[i]!;
      out.coverage[j] = this.coverage[i]!;
    });
    return out;
  }

  /** Whether (score, doc) ranks below the entry at slot i. */
  private below(score: number, doc: number, i: number): boolean {
    return score < this.scores[i]! || (score === this.scores[i]! && doc > this.docs[i]!);
  }

  private lower(a: number, b: number): boolean {
    return this.below(this.scores[a]!, this.docs[a]!, b);
  }

  private lowerThan(i: number, score: number, doc: number): boolean {
    return this.scores[i]! < score || (this.scores[i]! === score && this.docs[i]! > doc);
  }

  private move(from: number, to: number): void {
    this.docs[to] = this.docs[from]!;
    this.scores[to] = this.scores[from]!;
    this.coverage[to] = this.coverage[from]!;
  }
}
