/**
 * The understanding step's confidence: the probability that the first candidate is the right one, from the
 * matcher's scores of the first two: a clear lead says more than a high score that others share, and a first score
 * near 0 (nothing really matched: "purple elephants dancing") says no. A logistic model fitted on dev data only
 * (bench/understanding-calibrate.ts: the Brightwave dev half and BANKING77 train messages that are not the flows'
 * examples), never on a test half.
 */
export const MATCHER_CONFIDENCE_MODEL = { intercept: 2.887, first: -5.192, margin: 9.666, logFirst: 0.77 } as const;

export function matcherConfidence(first: number, second: number): number {
  const m = MATCHER_CONFIDENCE_MODEL;
  const z = m.intercept + m.first * first + m.margin * (first - second) + m.logFirst * Math.log(first + 0.001);
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}
