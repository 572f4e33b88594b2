/**
 * Nearest passages by cosine similarity (vectors are normalized). Below ANN_FROM embedded texts every row is scored;
 * from there on the store's IVF lists are probed (ivf.ts): the nearest PROBE_SHARE of them, more while fewer articles
 * than asked for were found (a language with few passages), every row in them scored on its full int8 vector, the
 * rows of a round of lists in one call into WebAssembly.
 */
import { language } from '../../search/text.ts';
import type { Passage } from '../types.ts';
import type { VectorStore } from './vector-store.ts';

export interface VectorHit {
  articleId: string;
  passage: Passage;
  /** Cosine similarity of the article's best passage, -1..1. */
  similarity: number;
}

export class VectorIndex {
  /** Per row, its first passage (-1: none, a text no passage of this index has); per passage, the next one of its row. */
  private readonly firstOfRow: Int32Array;
  private readonly nextOfPassage: Int32Array;
  /** Per passage, its article's number; per article, the best similarity and passage of the search under way. */
  private readonly articleOf: Int32Array;
  private readonly bestScore: Float32Array;
  private readonly bestPassage: Int32Array;
  private readonly bestRow: Int32Array;
  /** Per passage, its language's number in `languages` (language(locale): `en-GB` → `en`). */
  private readonly languageOf: Uint16Array;
  private readonly languages = new Map<string, number>();
  /** Per row, a bit per language of its passages (languages past the 31st share the last bit); 0: no passage. */
  private readonly languagesOfRow: Int32Array;
  /** A search's rows to score and their similarities. */
  private readonly rowsToScore: Int32Array;
  private readonly similarities: Float32Array;

  /** `rows[i]`: the store's row holding `passages[i]`'s vector. */
  constructor(
    private readonly passages: readonly Passage[],
    readonly store: VectorStore,
    rows: Int32Array,
  ) {
    this.firstOfRow = new Int32Array(store.rows).fill(-1);
    this.nextOfPassage = new Int32Array(passages.length).fill(-1);
    for (let i = passages.length - 1; i >= 0; i--) {
      const row = rows[i]!;
      this.nextOfPassage[i] = this.firstOfRow[row]!;
      this.firstOfRow[row] = i;
    }
    const numbers = new Map<string, number>();
    this.articleOf = Int32Array.from(passages, (p) => {
      let n = numbers.get(p.articleId);
      if (n === undefined) numbers.set(p.articleId, (n = numbers.size));
      return n;
    });
    this.languageOf = Uint16Array.from(passages, (p) => {
      const lang = language(p.locale);
      let n = this.languages.get(lang);
      if (n === undefined) this.languages.set(lang, (n = this.languages.size));
      return n;
    });
    this.languagesOfRow = new Int32Array(store.rows);
    passages.forEach((_, i) => (this.languagesOfRow[rows[i]!]! |= languageBit(this.languageOf[i]!)));
    this.bestScore = new Float32Array(numbers.size);
    this.bestPassage = new Int32Array(numbers.size).fill(-1);
    this.bestRow = new Int32Array(numbers.size);
    this.rowsToScore = new Int32Array(store.rows);
    this.similarities = new Float32Array(store.rows);
  }

  get size(): number {
    return this.passages.length;
  }

  /**
   * Articles best first (by their best passage), at most `limit`, among passages in language `lang` (`en` for
   * `en-GB`) when it is given, else among all. `counted`, when given, gets the number of rows scored.
   */
  search(query: Float32Array, limit: number, lang?: string, counted?: { scored: number }): VectorHit[] {
    if (query.length !== this.store.dims || limit <= 0) return [];
    const only = lang === undefined ? -1 : this.languages.get(lang);
    if (only === undefined) return [];
    const wanted = only === -1 ? -1 : languageBit(only);
    const scale = this.store.prepare(query);
    // Per article, its best passage so far, in typed arrays (no object or Map entry per row scored); `touched` lists
    // the articles seen, whose entries are reset at the end.
    const touched: number[] = [];
    const take = (row: number, similarity: number) => {
      for (let i = this.firstOfRow[row]!; i >= 0; i = this.nextOfPassage[i]!) {
        if (only !== -1 && this.languageOf[i] !== only) continue;
        const article = this.articleOf[i]!;
        if (this.bestPassage[article] === -1) touched.push(article);
        else if (similarity <= this.bestScore[article]!) continue;
        this.bestScore[article] = similarity;
        this.bestPassage[article] = i;
        this.bestRow[article] = row;
      }
    };
    // The rows of a round of lists (those with a passage in the language) are gathered, then scored in one batch.
    let rows = 0;
    const gather = (list: readonly number[]) => {
      for (const row of list) {
        // A row added to the store after this index was made has no passage of it.
        if (row < this.languagesOfRow.length && (this.languagesOfRow[row]! & wanted) !== 0) this.rowsToScore[rows++] = row;
      }
    };
    const score = (round: number) => {
      this.store.similarities(this.rowsToScore, rows, scale, this.similarities);
      if (counted) counted.scored += rows;
      // In the first round only the rows from the (CANDIDATES_PER_LIMIT * limit)th best similarity on are taken: an
      // article not taken then has no passage above that, so when 2 * limit articles are taken, they hold the best.
      // Otherwise (and in later rounds, which follow a first one that found too few) every row is.
      const threshold = round === 0 && rows > CANDIDATES_PER_LIMIT * limit ? kthLargest(this.similarities, rows, CANDIDATES_PER_LIMIT * limit) : -Infinity;
      for (let k = 0; k < rows; k++) if (this.similarities[k]! >= threshold) take(this.rowsToScore[k]!, this.similarities[k]!);
      if (threshold !== -Infinity && touched.length < 2 * limit) {
        for (let k = 0; k < rows; k++) if (this.similarities[k]! < threshold) take(this.rowsToScore[k]!, this.similarities[k]!);
      }
      rows = 0;
    };
    const ivf = this.store.ivf;
    if (!ivf) {
      gather(Array.from({ length: this.languagesOfRow.length }, (_, row) => row));
      score(0);
    } else {
      const ranked = ivf.ranked(query);
      const step = ivf.probes;
      for (let probed = 0; probed < ranked.length && (probed === 0 || touched.length < limit); probed += step) {
        for (let l = probed; l < Math.min(ranked.length, probed + step); l++) gather(ivf.lists[ranked[l]!]!);
        score(probed);
      }
    }
    // The first ones again with the question unquantized: the order at the top is the finest.
    const hits = best(touched, this.bestScore, 2 * limit).map((article): VectorHit => {
      const passage = this.passages[this.bestPassage[article]!]!;
      return { articleId: passage.articleId, passage, similarity: this.store.dot(this.bestRow[article]!, query) };
    });
    for (const article of touched) this.bestPassage[article] = -1;
    return hits.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
  }
}

/** Rows taken per article asked for, in a search's first round (see `score`). */
const CANDIDATES_PER_LIMIT = 8;

function languageBit(language: number): number {
  return 1 << Math.min(language, 31);
}

/** The k-th largest of `values[0..n)` (k ≤ n), by quickselect on a copy. */
function kthLargest(values: Float32Array, n: number, k: number): number {
  const a = values.slice(0, n);
  let lo = 0;
  let hi = n - 1;
  const want = k - 1; // its place in descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else return a[want]!;
  }
  return a[want]!;
}

/** The `k` of `items` with the highest `score`, best first, without sorting all of them. */
function best(items: readonly number[], score: Float32Array, k: number): number[] {
  const top: number[] = [];
  if (k <= 0) return top;
  for (const item of items) {
    const s = score[item]!;
    if (top.length === k && s <= score[top[k - 1]!]!) continue;
    let at = Math.min(top.length, k - 1);
    if (top.length < k) top.push(item);
    while (at > 0 && score[top[at - 1]!]! < s) {
      top[at] = top[at - 1]!;
      at--;
    }
    top[at] = item;
  }
  return top;
}
