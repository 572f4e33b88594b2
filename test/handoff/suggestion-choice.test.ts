import { describe, expect, it } from 'vitest';
import { alongside, confidentArticles, pickSuggestions } from '../../src/agent-workspace/suggestions.ts';
import type { ScoredCandidate, Understood } from '../../src/core/understanding.ts';

/**
 * Which articles the workspace suggests for a question (issue 17): only what the understanding step confidently
 * understood, at its threshold, and beside the first only what its model cannot confidently tell from it.
 */
const MIN = 0.5;
const article = (id: string, score: number): ScoredCandidate => ({ kind: 'knowledge', id, score, title: id });
const flow = (id: string, score: number): ScoredCandidate => ({ kind: 'flow', id, score, title: id });
const read = (decision: Understood['decision'], candidates: ScoredCandidate[], extra: Partial<Understood> = {}): Understood => ({ decision, candidates, why: '', ...extra });

describe('the articles suggested for a question', () => {
  it.each([
    ['a decline: nothing', read({ kind: 'decline', confidence: 0.31 }, [article('returns/exchanges', 0.06)]), []],
    ['one of Parley\'s own requests (a person): nothing', read({ kind: 'knowledge', article: 'faq/business-hours-chat', confidence: 0.98 }, [article('faq/business-hours-chat', 0.9)], { intent: { name: 'person', confidence: 1, exact: true } as Understood['intent'] }), []],
    ['the chosen article; one clearly weaker (Refunds beside delivery times) is left out',
      read({ kind: 'knowledge', article: 'shipping/delivery-times', confidence: 0.99 }, [article('shipping/delivery-times', 0.64), article('returns/refunds', 0.38), article('warranty/claim', 0.18)]), ['shipping/delivery-times']],
    ['two the model cannot tell apart are both suggested, the chosen one first',
      read({ kind: 'knowledge', article: 'faq/compare-audio', confidence: 0.6 }, [article('products/pulse-mini', 0.42), article('faq/compare-audio', 0.4)]), ['faq/compare-audio', 'products/pulse-mini']],
    ['beside a first matched by meaning, only a confident match of its own, not a word in passing',
      read({ kind: 'knowledge', article: 'returns/return-policy', confidence: 0.56 }, [article('returns/return-policy', 0.0065), article('returns/exchanges', 0.43), article('guides/pairing', 0.0102)]), ['returns/return-policy', 'returns/exchanges']],
    ['a flow: the articles ranked above it',
      read({ kind: 'flow', flow: 'returns', confidence: 1 }, [article('returns/return-policy', 0.81), flow('returns', 0.41), article('returns/how-to-return', 0.21)]), ['returns/return-policy']],
    ['a flow ranked first: nothing (the greeting for "Hello? Is anyone there?")',
      read({ kind: 'flow', flow: 'greeting', confidence: 0.93 }, [flow('greeting', 0.04), article('returns/exchanges', 0.06)]), []],
    ['under the threshold: nothing', read({ kind: 'knowledge', article: 'products/nova-x-5g', confidence: 0.49 }, [article('products/nova-x-5g', 0.11)]), []],
  ])('%s', (_name, understood, expected) => {
    expect(confidentArticles(understood, MIN)).toEqual(expected);
  });

  it('a passage beside the first: close to it, and a match of its own', () => {
    expect(alongside(0.4, 0.42, MIN)).toBe(true);
    expect(alongside(0.64, 0.38, MIN)).toBe(false);
    expect(alongside(0.0065, 0.01, MIN)).toBe(false);
  });

  it('the passages follow those articles, and nothing when the search itself is not confident', () => {
    const hit = (id: string, score: number, passage: string) => ({ id, title: id, score, passage });
    const found = {
      hits: [
        hit('returns/exchanges', 0.43, 'To exchange an item for another colour, return it and place a new order.'),
        hit('returns/return-policy', 0.0065, 'You may send back anything within 30 days for a full refund.'),
        hit('guides/pairing', 0.01, 'Hold the power button for five seconds until the light blinks blue.'),
      ],
      confidence: 0.98,
    };
    expect(pickSuggestions(found, { minConfidence: MIN, articles: ['returns/return-policy', 'returns/exchanges'] }).map((s) => s.articleId)).toEqual(['returns/return-policy', 'returns/exchanges']);
    expect(pickSuggestions(found, { minConfidence: MIN, articles: [] })).toEqual([]);
    expect(pickSuggestions({ ...found, confidence: 0.27 }, { minConfidence: MIN, articles: ['returns/exchanges'] })).toEqual([]);
    // Without the understanding step: the search's own first, and only what may stand beside it.
    expect(pickSuggestions(found, { minConfidence: MIN }).map((s) => s.articleId)).toEqual(['returns/exchanges']);
  });
});
