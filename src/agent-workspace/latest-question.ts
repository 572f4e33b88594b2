import type { Understood } from '../core/understanding.ts';
import { transcriptLines } from '../handoff/build-context.ts';
import type { Handoff } from '../handoff/handoff-rows.ts';
import type { HandoffStore } from '../handoff/handoff-store.ts';
import type { Conversation, Store } from '../store/types.ts';
import { confidentArticles, pickSuggestions, type FoundPassages, type Suggestion } from './suggestions.ts';

/** Asks the knowledge base for passages (its search, which records no gap and writes no answer). */
export type PassageFinder = (question: string, locale: string | undefined) => Promise<FoundPassages>;

/** The understanding step's reading of a message in this conversation, as a turn gets it (offline, no model). */
export type QuestionReader = (conversation: Conversation, question: string) => Promise<Understood>;

export interface SuggestionSource {
  store: Store;
  handoffs: HandoffStore;
  find: PassageFinder;
  minConfidence: number;
  /** Absent: the knowledge base's own confidence decides what is suggested. */
  understand?: QuestionReader;
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
  const conversation = source.understand ? await source.store.getConversation(handoff.conversationId) : undefined;
  const [found, understood] = await Promise.all([
    source.find(question, handoff.context.customer.locale ?? undefined),
    conversation && source.understand ? source.understand(conversation, question) : undefined,
  ]);
  const articles = understood ? { articles: confidentArticles(understood, source.minConfidence) } : {};
  return { question, suggestions: pickSuggestions(found, { minConfidence: source.minConfidence, ...articles }) };
}
