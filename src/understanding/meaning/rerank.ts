/**
 * The first candidates re-ranked by meaning: the words decide which flows and articles are candidates at all (the
 * matcher), and the sentence encoder decides among the first few which one says what the message means. Each
 * candidate's closeness is its closest text (a flow's example, keyword or description; an article's title, example
 * question, heading or one sentence of its text) to the message; it is added, weighted, to the candidate's score
 * relative to the first one's, and the confidence is recomputed from the result (calibrated on dev halves only:
 * bench/understanding/calibrate-meaning.ts).
 */
import type { ScoredCandidate } from '../../core/understanding.ts';
import { cosine, type SentenceEncoder } from './sentence-encoder.ts';

/** The model of the re-ranking and its confidence, chosen on dev data only. */
export const MEANING_MODEL = {
  /** Weight of the closeness by meaning against the word score relative to the first (1 for the first). */
  weight: 4,
  intercept: -5.34,
  /** Per unit of the first's lead over the second, after re-ranking. */
  margin: 2.163,
  /** Per unit of the first's closeness to the message. */
  closeness: 6.695,
  /** Per unit of the words' own confidence, when the words put the same candidate first. */
  words: 0.685,
  /**
   * Per unit of the message's unknown words (their share) times how far the first is from the message by meaning:
   * words nothing in the base uses, and nothing close in meaning either, is a question about something else.
   */
  unknown: -12,
} as const;

export interface MeaningRanked {
  candidates: ScoredCandidate[];
  /** How close each candidate is to the message by meaning (-1..1), by `kind:id`. */
  closeness: Map<string, number>;
  confidence: number;
}

/**
 * `textsOf` gives a candidate's texts; `wordConfidence` is the confidence the words alone gave their first candidate;
 * `unknownShare` the share of the message's words that no candidate of the base uses.
 */
export async function rerankByMeaning(
  encoder: SentenceEncoder,
  message: string,
  candidates: readonly ScoredCandidate[],
  textsOf: (candidate: ScoredCandidate) => readonly string[],
  wordConfidence: number,
  unknownShare = 0,
): Promise<MeaningRanked> {
  const texts = candidates.map(textsOf);
  const vectors = await encoder.encode([message, ...texts.flat()]);
  const asked = vectors[0]!;
  let at = 1;
  const closeness = new Map<string, number>();
  for (const [i, own] of texts.entries()) {
    let best = 0;
    for (let j = 0; j < own.length; j++) best = Math.max(best, cosine(asked, vectors[at + j]!));
    at += own.length;
    closeness.set(keyOf(candidates[i]!), round3(best));
  }
  const top = candidates[0]?.score || 1;
  const fused = (c: ScoredCandidate) => c.score / top + MEANING_MODEL.weight * (closeness.get(keyOf(c)) ?? 0);
  const ranked = [...candidates].sort((a, b) => fused(b) - fused(a)).map((c) => ({ ...c, meaning: closeness.get(keyOf(c)) ?? 0 }));
  const [first, second] = ranked;
  if (!first) return { candidates: ranked, closeness, confidence: 0 };
  const m = MEANING_MODEL;
  const lead = fused(first) - (second ? fused(second) : 0);
  const z = m.intercept + m.margin * lead + m.closeness * first.meaning + m.words * (keyOf(first) === keyOf(candidates[0]!) ? wordConfidence : 0)
    + m.unknown * unknownShare * (1 - first.meaning);
  return { candidates: ranked, closeness, confidence: round3(1 / (1 + Math.exp(-z))) };
}

/** A flow and an article may share a name: a candidate is its kind and id. */
function keyOf(candidate: ScoredCandidate): string {
  return `${candidate.kind}:${candidate.id}`;
}

/** A text cut into the pieces compared one by one: its sentences (a passage answers in one of them). */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/[#*_`>|-]+/g, ' ').trim())
    .filter((s) => s.length >= 12);
}

/**
 * The topics a heading lists ("SIM, networks and water resistance"), each compared on its own beside the whole
 * heading: "is it waterproof" is close to "water resistance", not to the list. None for a heading of one topic.
 */
export function headingTopics(heading: string): string[] {
  const parts = heading.split(/\s*(?:,|&|\band\b|\bund\b)\s*/i).map((part) => part.trim()).filter((part) => part.length >= 3);
  return parts.length > 1 ? parts : [];
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
