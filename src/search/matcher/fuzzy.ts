/**
 * Typo correction for words the documents do not contain. A word that is itself in the documents' vocabulary is
 * never changed (a product name one letter from a greeting stays a product name).
 */
import { allowedEdits, editDistance } from '../../engine/fuzzy.ts';
import { StringTable, type StringTableData } from './string-table.ts';

export interface SpellerSnapshot {
  words: StringTableData;
  byLength: Int32Array;
  counts: Int32Array;
}

/** What may join two words into one: nothing, or a linking letter or two (German "Versand-s-kosten"). */
const LINKING = ['', 's', 'n', 'en', 'e', 'es'];

const NONE = new Int32Array(0);

/** Known words' ids by length and by their first letter, and by length and their last letter (see Speller.closest). */
interface Buckets {
  first: Map<number, Int32Array>;
  last: Map<number, Int32Array>;
}

/** The speller's data of these words (each once; `count(i)`: how many documents use word i), sorted by length, then as strings. */
function sortedWords(words: readonly string[], count: (i: number) => number): SpellerSnapshot {
  const order = Int32Array.from(words.keys()).sort((a, b) => {
    const x = words[a]!;
    const y = words[b]!;
    return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  });
  const sorted = Array.from(order, (i) => words[i]!);
  const byLength = new Int32Array((sorted.at(-1)?.length ?? 0) + 2);
  for (const word of sorted) byLength[word.length + 1]!++;
  for (let n = 1; n < byLength.length; n++) byLength[n]! += byLength[n - 1]!;
  return { words: StringTable.from(sorted).data(), byLength, counts: Int32Array.from(order, count) };
}

const bucketKey = (length: number, code: number) => length * 0x10000 + code;

/** The documents' words by length, to find the closest known word to an unknown one. */
export class Speller {
  /** Known words sorted by length, then as strings; words of length n are ids byLength[n] .. byLength[n + 1] - 1. */
  private readonly words: StringTable;
  private readonly byLength: Int32Array;
  /** How many documents use each word. */
  private readonly counts: Int32Array;
  /** Made at the first correction (at 351,000 words, ~30 ms), not kept: a base whose questions have no typo never needs them. */
  private buckets: Buckets | null = null;

  /**
   * `words`: each known word with how many documents use it (ties go to the more common word), or a snapshot. `outer`:
   * the speller of the index this one is layered over (layered.ts), whose words are known too.
   */
  constructor(words: ReadonlyMap<string, number> | SpellerSnapshot, private readonly outer: Speller | null = null) {
    let data: SpellerSnapshot;
    if (words instanceof Map) {
      const known = [...words.keys()];
      data = sortedWords(known, (i) => words.get(known[i]!)!);
    } else data = words as SpellerSnapshot;
    this.words = StringTable.restore(data.words);
    this.byLength = data.byLength;
    this.counts = data.counts;
  }

  /**
   * `words`: the known words, each once, and `count(i)` how many documents use word i (ties go to the more common word).
   * Sorted as numbers, not as pairs or a Map: at the end of a build of 100,000 passages, 351,000 pairs and a Map of them
   * were ~30 MB more on the heap at its peak, by their sizes.
   */
  static of(words: readonly string[], count: (i: number) => number, outer: Speller | null = null): Speller {
    return new Speller(sortedWords(words, count), outer);
  }

  /** The speller as plain data (see matcher-cache.ts); `new Speller(snapshot)` gives it back. */
  snapshot(): SpellerSnapshot {
    return { words: this.words.data(), byLength: this.byLength, counts: this.counts };
  }

  has(word: string): boolean {
    return this.words.has(word) || (this.outer?.has(word) ?? false);
  }

  /**
   * An unknown word written as one that the documents write as two ("preorder" for "pre-order", German
   * "retourenpaket" for "Retouren … Paket"): the two known words, each of at least 3 letters, with German's linking
   * letters allowed between them ("preis-anpassung", "versand-s-kosten"); null when no split makes two known words.
   * Of several splits, the one whose shorter part is longest.
   */
  split(word: string): [string, string] | null {
    if (word.length < 6 || this.has(word) || /\d/.test(word)) return null;
    let best: [string, string] | null = null;
    let bestShorter = 0;
    for (let i = 3; i <= word.length - 3; i++) {
      const right = word.slice(i);
      if (!this.has(right)) continue;
      for (const link of LINKING) {
        const head = word.slice(0, i);
        if (!head.endsWith(link)) continue;
        const left = head.slice(0, head.length - link.length);
        if (left.length < 3 || !this.has(left)) continue;
        const shorter = Math.min(left.length, right.length);
        if (shorter > bestShorter) (best = [left, right]), (bestShorter = shorter);
      }
    }
    return best;
  }

  /**
   * The known word closest to `word` within the edits its length allows, or null (also for a known word);
   * `sameInitial`: only a word that starts with the same letter.
   */
  correct(word: string, sameInitial = false): string | null {
    const limit = allowedEdits(word.length);
    if (limit === 0 || this.has(word) || /\d/.test(word)) return null;
    const own = this.closest(word, limit, sameInitial);
    const outer = this.outer?.closest(word, limit, sameInitial) ?? null;
    if (!outer) return own?.word ?? null;
    if (!own) return outer.word;
    return own.distance < outer.distance || (own.distance === outer.distance && own.count > outer.count) ? own.word : outer.word;
  }

  /**
   * The closest of this speller's own words within `limit` edits, with its distance and how many documents use it; of
   * words as close, the one more documents use, then the first by length and spelling. Only words that share the
   * word's first or last letter are compared (a typo rarely hits both ends), found by length and letter (Buckets)
   * rather than by looking at every word of each length: at 100,000 passages, 351,000 words.
   */
  private closest(word: string, limit: number, sameInitial: boolean): { word: string; distance: number; count: number } | null {
    const { first, last } = (this.buckets ??= this.bucket());
    const initial = word.charCodeAt(0);
    const final = word.charCodeAt(word.length - 1);
    let best: string | null = null;
    let bestDistance = limit + 1;
    let bestId = -1;
    const consider = (id: number) => {
      const candidate = this.words.at(id);
      const d = editDistance(word, candidate, Math.min(limit, bestDistance));
      if (d > bestDistance || d > limit) return;
      if (d === bestDistance && (this.counts[id]! < this.counts[bestId]! || (this.counts[id] === this.counts[bestId] && id > bestId))) return;
      best = candidate;
      bestId = id;
      bestDistance = d;
    };
    for (let length = Math.max(0, word.length - limit); length <= Math.min(word.length + limit, this.byLength.length - 2); length++) {
      for (const id of first.get(bucketKey(length, initial)) ?? NONE) consider(id);
      if (!sameInitial) for (const id of last.get(bucketKey(length, final)) ?? NONE) if (this.words.codeAt(id, 0) !== initial) consider(id);
    }
    return best !== null ? { word: best, distance: bestDistance, count: this.counts[bestId]! } : null;
  }

  private bucket(): Buckets {
    const lists = { first: new Map<number, number[]>(), last: new Map<number, number[]>() };
    for (let length = 1; length < this.byLength.length - 1; length++) {
      for (let id = this.byLength[length]!; id < this.byLength[length + 1]!; id++) {
        for (const [lists_, code] of [[lists.first, this.words.codeAt(id, 0)], [lists.last, this.words.codeAt(id, -1)]] as const) {
          const key = bucketKey(length, code);
          const list = lists_.get(key);
          if (list) list.push(id);
          else lists_.set(key, [id]);
        }
      }
    }
    const typed = (m: Map<number, number[]>) => new Map([...m].map(([key, ids]) => [key, Int32Array.from(ids)]));
    return { first: typed(lists.first), last: typed(lists.last) };
  }
}
