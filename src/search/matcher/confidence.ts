/**
 * The understanding step's confidence: the probability that the first candidate is the right one, from the
 * matcher's scores of the first two: a clear lead says more than a high score that others share, and a first score
 * near 0 (nothing really matched: "purple elephants dancing") says no. A logistic model fitted on dev data only
 * (bench/understanding-calibrate.ts: the Brightwave dev half and BANKING77 train messages that are not the flows'
 * examples), never on a test half.
 */
export const MATCHER_CONFIDENCE_MODEL = { intercept: 2.887, first: -5.192, margin: 9.666, logFirst: 0.77 } as const;

/**
 * A first score under this is a match of a word or two in passing ("do you sell drones?" against an FAQ that says
 * "sell"): the confidence is scaled down with it. 0.02 costs nothing on the dev data; higher floors cost more right answers than wrong ones.
 */
export const WEAK_MATCH = 0.02;

export function matcherConfidence(first: number, second: number): number {
  const m = MATCHER_CONFIDENCE_MODEL;
  const weak = Math.min(1, first / WEAK_MATCH);
  const z = m.intercept + m.first * first + m.margin * (first - second) + m.logFirst * Math.log(first + 0.001);
  return Math.round((weak / (1 + Math.exp(-z))) * 1000) / 1000;
}
