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

/** The documents' words by length, to find the closest known word to an unknown one. */
export class Speller {
  /** Known words sorted by length, then as strings; words of length n are ids byLength[n] .. byLength[n + 1] - 1. */
  private readonly words: StringTable;
  private readonly byLength: Int32Array;
  /** How many documents use each word. */
  private readonly counts: Int32Array;

  /**
   * `words`: each known word with how many documents use it (ties go to the more common word). `outer`: the speller of
   * the index this one is layered over (layered.ts), whose words are known too.
   */
  constructor(words: ReadonlyMap<string, number>, outer?: Speller | null);
  constructor(data: SpellerSnapshot);
  constructor(words: ReadonlyMap<string, number> | SpellerSnapshot, private readonly outer: Speller | null = null) {
    if (!(words instanceof Map)) {
      const data = words as SpellerSnapshot;
      this.words = StringTable.restore(data.words);
      this.byLength = data.byLength;
      this.counts = data.counts;
      return;
    }
    const sorted = [...words.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    this.words = StringTable.from(sorted);
    this.counts = Int32Array.from(sorted, (word) => words.get(word)!);
    this.byLength = new Int32Array((sorted.at(-1)?.length ?? 0) + 2);
    for (const word of sorted) this.byLength[word.length + 1]!++;
    for (let n = 1; n < this.byLength.length; n++) this.byLength[n]! += this.byLength[n - 1]!;
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

  /** The known word closest to `word` within the edits its length allows, or null (also for a known word). */
  correct(word: string): string | null {
    const limit = allowedEdits(word.length);
    if (limit === 0 || this.has(word) || /\d/.test(word)) return null;
    const own = this.closest(word, limit);
    const outer = this.outer?.closest(word, limit) ?? null;
    if (!outer) return own?.word ?? null;
    if (!own) return outer.word;
    return own.distance < outer.distance || (own.distance === outer.distance && own.count > outer.count) ? own.word : outer.word;
  }

  /** The closest of this speller's own words within `limit` edits, with its distance and how many documents use it. */
  private closest(word: string, limit: number): { word: string; distance: number; count: number } | null {
    let best: string | null = null;
    let bestDistance = limit + 1;
    let bestId = -1;
    for (let length = Math.max(0, word.length - limit); length <= Math.min(word.length + limit, this.byLength.length - 2); length++) {
      for (let id = this.byLength[length]!; id < this.byLength[length + 1]!; id++) {
        // Both must share a first or a last letter: a typo rarely hits both ends, and it halves the work.
        if (this.words.codeAt(id, 0) !== word.charCodeAt(0) && this.words.codeAt(id, -1) !== word.charCodeAt(word.length - 1)) continue;
        const candidate = this.words.at(id);
        const d = editDistance(word, candidate, Math.min(limit, bestDistance));
        if (d < bestDistance || (d === bestDistance && best !== null && this.counts[id]! > this.counts[bestId]!)) {
          best = candidate;
          bestId = id;
          bestDistance = d;
        }
      }
    }
    return best !== null && bestDistance <= limit ? { word: best, distance: bestDistance, count: this.counts[bestId]! } : null;
  }
}
