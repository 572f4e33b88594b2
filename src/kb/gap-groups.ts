/**
 * Groups unanswered questions that ask the same thing in different words, so editors see "gift cards (14×)"
 * instead of fourteen lines. Two wordings are similar when they share at least two thirds of the content words
 * (stemmed, stop words and masked data left out) of the shorter one, and at least two words unless one of them
 * has a single word: "do you sell drones" and "do you sell printers" stay apart. Wordings are taken most
 * frequent first, and each joins the group whose first wording it is most similar to.
 */
import { analyzerFor, normalize } from '../search/text.ts';
import type { KbGap, KbGapGroup } from './types.ts';

export const GAP_SIMILARITY = 2 / 3;
const EXAMPLES = 3;
/** Placeholders left by the redaction pass (src/infra/redact.ts): not words of the question. */
const MASKS = /\[(email|phone|card|iban)\]/g;

interface Wording {
  text: string;
  key: string;
  terms: Set<string>;
  count: number;
  lastAt: Date;
  nearest: Map<string, number>;
}

interface Group {
  seed: Wording;
  members: Wording[];
}

export function groupGaps(gaps: readonly KbGap[]): KbGapGroup[] {
  const wordings = new Map<string, Wording>();
  for (const gap of gaps) {
    const key = normalize(gap.question).replace(/[^\p{L}\p{N}[\]]+/gu, ' ').trim();
    let w = wordings.get(key);
    if (!w) {
      w = { text: gap.question.trim(), key, terms: new Set(analyzerFor(gap.locale ?? 'en').terms(gap.question.replace(MASKS, ' '))), count: 0, lastAt: gap.at, nearest: new Map() };
      wordings.set(key, w);
    }
    w.count++;
    if (gap.at > w.lastAt) w.lastAt = gap.at;
    if (gap.nearestArticleId) w.nearest.set(gap.nearestArticleId, (w.nearest.get(gap.nearestArticleId) ?? 0) + 1);
  }

  const groups: Group[] = [];
  const ordered = [...wordings.values()].sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
  for (const wording of ordered) {
    let best: Group | null = null;
    let bestSimilarity = GAP_SIMILARITY;
    for (const group of groups) {
      const similarity = overlap(wording.terms, group.seed.terms);
      if (similarity >= bestSimilarity) {
        best = group;
        bestSimilarity = similarity;
      }
    }
    if (best) best.members.push(wording);
    else groups.push({ seed: wording, members: [wording] });
  }

  return groups
    .map((group) => {
      const nearest = new Map<string, number>();
      for (const m of group.members) for (const [id, n] of m.nearest) nearest.set(id, (nearest.get(id) ?? 0) + n);
      const [topNearest] = [...nearest.entries()].sort((a, b) => b[1] - a[1]);
      return {
        count: group.members.reduce((sum, m) => sum + m.count, 0),
        question: group.seed.text,
        examples: group.members.slice(1, 1 + EXAMPLES).map((m) => m.text),
        nearestArticleId: topNearest?.[0] ?? null,
        lastAt: new Date(Math.max(...group.members.map((m) => m.lastAt.getTime()))),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
}

/** Shared words over the smaller set's size, or 0 when they share too few words to say. */
function overlap(a: Set<string>, b: Set<string>): number {
  const smaller = Math.min(a.size, b.size);
  if (smaller === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared >= Math.min(2, smaller) ? shared / smaller : 0;
}
