/**
 * Typo correction for words the documents do not contain. A word that is itself in the documents' vocabulary is
 * never changed (a product name one letter from a greeting stays a product name).
 */
import { allowedEdits, editDistance } from '../../engine/fuzzy.ts';

/** What may join two words into one: nothing, or a linking letter or two (German "Versand-s-kosten"). */
const LINKING = ['', 's', 'n', 'en', 'e', 'es'];

/** The documents' words by length, to find the closest known word to an unknown one. */
export class Speller {
  private readonly byLength = new Map<number, string[]>();
  private readonly known: ReadonlyMap<string, number>;

  /**
   * `words`: each known word with how many documents use it (ties go to the more common word). `outer`: the speller of
   * the index this one is layered over (layered.ts), whose words are known too.
   */
  constructor(words: ReadonlyMap<string, number>, private readonly outer: Speller | null = null) {
    this.known = words;
    for (const word of [...words.keys()].sort()) {
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  has(word: string): boolean {
    return this.known.has(word) || (this.outer?.has(word) ?? false);
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
    for (let length = word.length - limit; length <= word.length + limit; length++) {
      for (const candidate of this.byLength.get(length) ?? []) {
        // Both must share a first or a last letter: a typo rarely hits both ends, and it halves the work.
        if (candidate[0] !== word[0] && candidate.at(-1) !== word.at(-1)) continue;
        const d = editDistance(word, candidate, Math.min(limit, bestDistance));
        if (d < bestDistance || (d === bestDistance && best !== null && this.known.get(candidate)! > this.known.get(best)!)) {
          best = candidate;
          bestDistance = d;
        }
      }
    }
    return best !== null && bestDistance <= limit ? { word: best, distance: bestDistance, count: this.known.get(best)! } : null;
  }
}
