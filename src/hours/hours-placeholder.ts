/**
 * {{opening_hours}}: the hours of OPENING_HOURS in words, for flows' texts and knowledge base answers, so the hours are
 * written once, in the setting. Filled for each turn and each answer; never stored in the conversation.
 */
import type { KnowledgeHit, KnowledgePort } from '../core/knowledge-port.ts';
import type { ConversationState } from '../engine/types.ts';
import { describeWeek } from './describe-week.ts';
import type { OpeningHoursSetting } from './opening-hours.ts';
import { withTurnVars } from './turn-vars.ts';

export const OPENING_HOURS_VAR = 'opening_hours';
const PLACEHOLDER = /\{\{\s*opening_hours\s*\}\}/g;

/** Runs a turn with {{opening_hours}} among the variables, and takes it out of the state the turn leaves. */
export function withOpeningHours<R extends { state: ConversationState }>(setting: OpeningHoursSetting, run: (state: ConversationState) => R): (state: ConversationState) => R {
  return withTurnVars((state) => ({ [OPENING_HOURS_VAR]: describeWeek(setting, state.locale) }), run);
}

/** The text with {{opening_hours}} filled in the locale's language. */
export function fillOpeningHours(text: string, setting: OpeningHoursSetting, locale: string | undefined): string {
  return text.search(PLACEHOLDER) === -1 ? text : text.replace(PLACEHOLDER, describeWeek(setting, locale));
}

/** Passages (search hits, an answer's results) with {{opening_hours}} filled: agents see and may send them. */
export function hitsWithOpeningHours<H extends KnowledgeHit>(hits: H[], setting: OpeningHoursSetting, locale: string | undefined): H[] {
  return hits.map((hit) => ({ ...hit, passage: fillOpeningHours(hit.passage, setting, locale) }));
}

/** The knowledge base with {{opening_hours}} in its answers and their passages filled in the question's language. */
export function answersWithOpeningHours(setting: OpeningHoursSetting, knowledge: KnowledgePort): KnowledgePort {
  return {
    async answer(question, options) {
      const found = await knowledge.answer(question, options);
      const locale = options?.locale;
      return { ...found, answer: found.answer && fillOpeningHours(found.answer, setting, locale), results: hitsWithOpeningHours(found.results, setting, locale) };
    },
  };
}
