import { transcriptLines } from '../handoff/build-context.ts';
import type { Handoff } from '../handoff/handoff-rows.ts';
import type { HandoffStore } from '../handoff/handoff-store.ts';
import type { Store } from '../store/types.ts';
import { pickSuggestions, type FoundPassages, type Suggestion } from './suggestions.ts';

/** Asks the knowledge base for passages (its search, which records no gap and writes no answer). */
export type PassageFinder = (question: string, locale: string | undefined) => Promise<FoundPassages>;

export interface SuggestionSource {
  store: Store;
  handoffs: HandoffStore;
  find: PassageFinder;
  minConfidence: number;
}

/** The customer's latest typed message in the conversation (a pressed button is no question). */
export async function latestQuestion(store: Store, handoffs: HandoffStore, conversationId: string): Promise<string | null> {
  const lines = await transcriptLines(store, handoffs, conversationId, 50);
  return lines.filter((line) => line.from === 'customer' && line.payload === undefined && line.text.trim()).at(-1)?.text ?? null;
}

/** Suggestions for the customer's latest question in the handoff's conversation. */
export async function suggestFor(source: SuggestionSource, handoff: Handoff): Promise<{ question: string | null; suggestions: Suggestion[] }> {
  const question = await latestQuestion(source.store, source.handoffs, handoff.conversationId);
  if (!question) return { question: null, suggestions: [] };
  const found = await source.find(question, handoff.context.customer.locale ?? undefined);
  return { question, suggestions: pickSuggestions(found, { minConfidence: source.minConfidence }) };
}
