/**
 * Turns retrieval evidence into one number the flows compare with one threshold: the probability that the
 * first result is the article that answers the question. A logistic model over three features that do not
 * depend on the size of the knowledge base:
 * - intent coverage: the IDF-weighted share of the question's words found in the first article's title,
 *   headings or example questions (what the article is about, rather than words it merely mentions);
 * - margin: how far the first article's score is ahead of the second's, relative to the first's;
 * - specificity: how rare the question's words are overall (a question of one common word, "order", is vague).
 * Fitted on the StackFAQ dev half with a fifth of the articles left out, so questions without an article are in
 * the data (bench/kb-tune.ts prints the fit and its table); never on the test half.
 * StackFAQ has no off-topic questions, so one factor is added by design rather than fitted: the probability is
 * multiplied by the share of the question's (IDF-weighted) words that some article contains. "What is the
 * capital of France?" matching "Can I order from France?" on one word of two is then not 98% sure. On the dev
 * half this factor declines 3 points more present questions and answers 1 point fewer missing ones.
 */
import type { LexicalHit, QueryStats } from './lexical-index.ts';

export const CONFIDENCE_MODEL = { intercept: -5.021, intentCoverage: 6.795, margin: 4.331, logSpecificity: 1.55 } as const;

/**
 * Default UNDERSTANDING_MIN_CONFIDENCE, the one threshold for flows and answers alike. A wrong answer costs about
 * twice what a needless "not sure" costs (the customer is misled, then needs a person anyway), so the threshold is
 * the one that does best by right answers minus twice the confidently wrong ones on the dev half of the
 * Brightwave set (npm run eval:understanding) with the matcher's calibrated confidence: 0.5 there (0.65, the
 * StackFAQ-only choice before, declined far more right answers for few fewer wrong ones).
 */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

export interface ConfidenceFeatures {
  intentCoverage: number;
  margin: number;
  specificity: number;
  unknown: number;
}

type Ranked = ReadonlyArray<Pick<LexicalHit, 'score' | 'intentCoverage'>>;

/** The features of a ranked list (best first); null when nothing matched. */
export function confidenceFeatures(hits: Ranked, query: QueryStats): ConfidenceFeatures | null {
  const [first, second] = hits;
  if (!first || first.score <= 0) return null;
  const margin = second ? Math.max(0, (first.score - second.score) / first.score) : 1;
  return { intentCoverage: first.intentCoverage, margin, specificity: query.specificity, unknown: query.unknown };
}

/** The model's probability before the unknown-words factor. */
export function modelProbability(f: Omit<ConfidenceFeatures, 'unknown'>): number {
  const m = CONFIDENCE_MODEL;
  return sigmoid(m.intercept + m.intentCoverage * f.intentCoverage + m.margin * f.margin + m.logSpecificity * Math.log(Math.max(f.specificity, 0.05)));
}

/** 0..1, rounded to 3 decimals; 0 when nothing matched. */
export function lexicalConfidence(hits: Ranked, query: QueryStats): number {
  const features = confidenceFeatures(hits, query);
  if (!features) return 0;
  return round3(modelProbability(features) * (1 - features.unknown));
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
