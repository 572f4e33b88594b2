/**
 * Does the customer ask for a person? In English and German, in whatever words: "agent", "can I talk to someone",
 * "I want a real human", "Mitarbeiter bitte", "kann ich mit einem Menschen sprechen". Pure and table-tested.
 *
 * Two kinds of evidence: a message that is (almost) only a word for a person ("agent!", "human please"), or a
 * request verb near a word for a person ("talk to someone", "mit jemandem sprechen"). A negation right before it
 * ("I don't want an agent", "keinen Menschen") cancels it, and so does the person being a third party ("the
 * delivery person left it at the door").
 */
import type { BuiltInIntent } from '../core/understanding.ts';
import { words } from '../engine/text.ts';

/** Words that mean a person at the company. */
const PERSON = new Set([
  'agent', 'agents', 'human', 'humans', 'person', 'someone', 'somebody', 'operator', 'representative',
  'rep', 'staff', 'employee', 'colleague', 'advisor', 'adviser', 'consultant', 'manager', 'supervisor',
  'mensch', 'menschen', 'mitarbeiter', 'mitarbeiterin', 'mitarbeitern', 'berater', 'beraterin', 'jemand', 'jemandem', 'jemanden',
  'kundendienst', 'kundenservice', 'kundenbetreuung', 'servicemitarbeiter', 'ansprechpartner', 'kollegen', 'kollegin',
]);

/** Phrases that are a request for a person on their own. */
const PHRASES = [
  'real person', 'real human', 'live agent', 'live person', 'live chat', 'customer service', 'customer support', 'human being',
  'talk to a human', 'speak to a human', 'not a bot', 'no bot', 'stop bot',
  'echter mensch', 'echten menschen', 'echte person', 'kein bot', 'keinen bot', 'mit einem menschen', 'mit einer person',
].map((phrase) => phrase.split(' '));

/** Verbs and fillers that, with a word for a person, make a request. */
const REQUEST = new Set([
  'talk', 'speak', 'chat', 'connect', 'transfer', 'put', 'get', 'want', 'need', 'give', 'call', 'contact', 'reach', 'escalate',
  'sprechen', 'reden', 'verbinden', 'verbinde', 'durchstellen', 'weiterleiten', 'will', 'moechte', 'mochte', 'brauche', 'haette', 'hatte',
  'gerne', 'gern', 'bitte', 'please', 'kontakt', 'schreiben', 'telefonieren',
]);

/** Words that cancel a request that follows them in the same clause. */
const NEGATION = new Set(['not', 'dont', 'don', 'no', 'never', 'without', 'nicht', 'kein', 'keine', 'keinen', 'keinem', 'nie', 'ohne']);

/**
 * How a clause that asks when begins ("when can I chat with a person", "bis wann ist der Kundenservice erreichbar"):
 * a question about the hours in which a person can be reached, which the knowledge base answers, not a request for one.
 */
const WHEN = [['when'], ['what', 'time'], ['what', 'hours'], ['which', 'hours'], ['until', 'when'], ['how', 'late'], ['wann'], ['bis', 'wann'], ['ab', 'wann'], ['um', 'wie', 'viel', 'uhr']];

/** Words right before a person-word that make it someone else, not a person at the company ("the delivery person"). */
const THIRD_PARTY = new Set(['delivery', 'courier', 'postal', 'driver', 'sales', 'paket', 'post', 'liefer', 'zustell']);

/** Words a short request may carry besides the person-word ("agent please", "human now!", "a real person"). */
const FILLER = new Set(['please', 'pls', 'plz', 'now', 'a', 'an', 'real', 'bitte', 'jetzt', 'sofort', 'einen', 'eine', 'einem', 'hi', 'hello', 'hallo', 'i', 'ich', 'want', 'need', 'will', 'brauche', 'moechte', 'mochte', 'to', 'speak', 'talk']);

export interface PersonRequest {
  /** The words that showed it, for the handoff's reason. */
  evidence: string;
}

/** The customer's words folded like the engine folds them, with "don't" → "dont" and umlauts → base letters. */
function fold(text: string): string[] {
  return words(text.replace(/['’]/g, ''));
}

function negatedBefore(tokens: string[], index: number): boolean {
  for (let i = 0; i < index; i++) if (NEGATION.has(tokens[i]!)) return true;
  return false;
}

/** The request the text makes for a person, or undefined. Each clause is judged alone, so a negation stays in its clause. */
export function detectPersonRequest(text: string): PersonRequest | undefined {
  if (fold(text).length > 40) return undefined;
  const clauses = text.split(/[,.;:!?\n]+|\s(?:but|aber|doch)\s/i);
  for (const clause of clauses) {
    const found = inClause(fold(clause));
    if (found) return found;
  }
  return undefined;
}

function inClause(tokens: string[]): PersonRequest | undefined {
  if (tokens.length === 0 || WHEN.some((opening) => opening.every((word, i) => tokens[i] === word))) return undefined;
  for (const phrase of PHRASES) {
    for (let i = 0; i + phrase.length <= tokens.length; i++) {
      if (phrase.every((word, k) => tokens[i + k] === word) && !negatedBefore(tokens, i)) return { evidence: phrase.join(' ') };
    }
  }
  const persons = tokens.flatMap((token, index) => (PERSON.has(token) ? [index] : []));
  if (persons.length === 0) return undefined;
  // A short message that is only a word for a person and fillers: "agent", "human please", "Mitarbeiter bitte".
  if (tokens.length <= 5 && tokens.every((token) => PERSON.has(token) || FILLER.has(token)) && !tokens.some((t) => NEGATION.has(t))) {
    return { evidence: tokens.filter((token) => PERSON.has(token)).join(' ') };
  }
  for (const index of persons) {
    if (negatedBefore(tokens, index)) continue;
    if (index > 0 && THIRD_PARTY.has(tokens[index - 1]!)) continue;
    const window = tokens.slice(Math.max(0, index - 5), index + 4);
    if (window.some((token) => REQUEST.has(token))) return { evidence: tokens.slice(Math.max(0, index - 3), index + 1).join(' ') };
  }
  return undefined;
}

/** Asking for a person, ranked with the flows and articles as well as recognised by the words above. */
export const PERSON_INTENT: BuiltInIntent = {
  name: 'person',
  examples: {
    en: [
      'can I talk to a human', 'I want to speak to a real person', 'connect me with an agent', 'is there someone I can talk to',
      'let me talk to customer service', 'I need a human', 'transfer me to your support staff', 'I would like to speak with someone from your team',
    ],
    de: [
      'kann ich mit einem Mitarbeiter sprechen', 'ich möchte mit einem Menschen reden', 'verbinden Sie mich mit dem Kundenservice',
      'gibt es jemanden, mit dem ich sprechen kann', 'ich brauche einen echten Menschen', 'bitte einen Mitarbeiter', 'ich will mit jemandem vom Support sprechen',
    ],
  },
  recognize: (text) => detectPersonRequest(text) !== undefined,
};
