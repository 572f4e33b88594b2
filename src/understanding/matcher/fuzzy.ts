/**
 * Typo correction for words the documents do not contain. A word that is itself in the documents' vocabulary is
 * never changed (a product name one letter from a greeting stays a product name).
 */

/** How many edits a word of this length tolerates: one from 5 letters, two from 9; shorter words must be exact. */
export function allowedEdits(length: number): number {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

/** Three rows of the distance table, reused: the speller calls this for thousands of words per query. */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Optimal string alignment distance, or `limit + 1` as soon as it is certainly larger than `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (rows[0]!.length <= b.length) rows = [0, 1, 2].map(() => new Int32Array(b.length + 1));
  let [beforePrevious, previous, current] = rows as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, beforePrevious[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[b.length]!;
}

/** The documents' words by length, to find the closest known word to an unknown one. */
export class Speller {
  private readonly byLength = new Map<number, string[]>();
  private readonly known: ReadonlyMap<string, number>;

  /** `words`: each known word with how many documents use it (ties go to the more common word). */
  constructor(words: ReadonlyMap<string, number>) {
    this.known = words;
    for (const word of [...words.keys()].sort()) {
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  has(word: string): boolean {
    return this.known.has(word);
  }

  /** The known word closest to `word` within the edits its length allows, or null (also for a known word). */
  correct(word: string): string | null {
    const limit = allowedEdits(word.length);
    if (limit === 0 || this.known.has(word) || /\d/.test(word)) return null;
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
    return bestDistance <= limit ? best : null;
  }
}
