/**
 * A keyword is evidence, not a verdict: it decides alone only when the message is essentially that keyword or
 * phrase ("menu", "agent please", "talk to a person", "Hauptmenü bitte"). In a longer message it is one more
 * word for the ranking to weigh, so "is the store open on Sunday" is not the contact flow just for "open".
 */
import type { Flow } from '../engine/model.ts';
import { tokenize } from '../search/text.ts';

/** Words a short command may carry around its keyword without changing what it asks for. */
const COURTESY = new Set(
  `please pls plz thanks thank you ok okay hi hey hello i id i'd want wanna would like need can could to talk speak
  chat with a an the me my show give get go back now again just bitte danke ich mochte moechte will wurde wuerde
  gerne gern mit einem einer einen ein sprechen reden zum zur zu dem der die das mir zeigen jetzt bitte mal`.split(/\s+/),
);

const joined = (text: string) => tokenize(text).join(' ');

/**
 * The flow whose keyword the message essentially is, or undefined. When several flows have that keyword, the one
 * whose name sorts first (as flow checks warn about duplicate keywords).
 */
export function essentialKeyword(flows: readonly Flow[], text: string): string | undefined {
  const words = tokenize(text);
  if (words.length === 0 || words.length > 8) return undefined;
  const said = words.join(' ');
  const core = words.filter((w) => !COURTESY.has(w)).join(' ');
  for (const flow of flows) {
    for (const keyword of flow.triggers.keywords) {
      const k = joined(keyword);
      if (k === '' ) continue;
      if (k === said || (core !== '' && k === core)) return flow.name;
    }
  }
  return undefined;
}
