/**
 * A knowledge passage as the matcher sees it: its title, example questions and heading are short fields compared
 * with a question one by one, and its text counts in the document-level BM25 only. The knowledge base's own ranking
 * and the understanding step's use this one mapping, so a passage scores the same in both.
 */
import type { MatchField } from '../search/matcher/index.ts';
import type { Passage } from './types.ts';

export function passageFields(passage: Passage): MatchField[] {
  return [
    { kind: 'title', text: passage.title },
    ...passage.questions.map((text): MatchField => ({ kind: 'question', text })),
    ...(passage.heading ? [{ kind: 'heading' as const, text: passage.heading }] : []),
    { kind: 'text', text: passage.text },
  ];
}
