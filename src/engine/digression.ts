/**
 * What a message sent while an ask waits is: its answer, a question asked on the side (a digression), or "I don't
 * know / I don't have it". Pure; the runner acts on the verdict (runner.ts).
 *
 * In this order:
 * 1. An exact answer (a valid value, a choice's title, number or payload) answers. For a free `text` ask any text
 *    is valid, so there a message is a digression only when it reads as a question and is understood with high
 *    confidence (2), and "I don't know" only when that is about all it says (at most NOT_KNOWN_MAX_WORDS words).
 * 2. A message that reads as a question and that the knowledge base or another flow answers with high confidence
 *    (`input.understood`, at least DIGRESSION_MIN_CONFIDENCE) is a digression.
 * 3. A choice answered in other words (option-match.ts) answers.
 * 4. For a choice, any other message that is understood with high confidence is a digression too: it is no answer
 *    anyway. For a value (an order number, an email), a statement is a try at the answer ("my order number is
 *    12345"), so it spends a retry with the ask's own hint rather than being answered on the side.
 * 5. "I don't know", "I don't have it", "weiß ich nicht", "hab ich nicht" (unknown-answer.ts) take the ask's way
 *    out (steps/ask-again.ts).
 * 6. Anything else is a wrong answer, and spends one of the ask's retries.
 * A digression to the flow that is asking is no digression (the customer is already there).
 */
import type { Understood } from '../core/understanding.ts';
import type { AskStep, Flow, FlowSet, LocalText } from './model.ts';
import { fold, isLexiconWord, matchOption, type KnownWord } from './option-match.ts';
import { saysUnknown } from './unknown-answer.ts';
import { checkAnswer } from './validators.ts';

/** How sure the understanding step must be before a message sent while an ask waits is taken as something else. */
export const DIGRESSION_MIN_CONFIDENCE = 0.8;

export type Verdict =
  /** Answer the ask with this value (it may still fail validation: a wrong answer). */
  | { kind: 'answer'; value: string }
  /** "I don't know" / "I don't have it". */
  | { kind: 'unknown' }
  /** Answer from the knowledge base with this answer step (of the fallback flow), then ask again. */
  | { kind: 'aside'; via: 'answer'; flow: string; step: string }
  /** Run this flow; when it ends without waiting for anything, ask again. */
  | { kind: 'aside'; via: 'flow'; flow: string };

export function judgeAnswer(flows: FlowSet, flow: Flow, step: AskStep, text: string, understood?: Understood): Verdict {
  const aside = asideFor(flows, flow, understood);
  const question = readsAsQuestion(text);
  if (step.validate.type === 'text') {
    if (aside && question) return aside;
    return onlySaysUnknown(text) ? { kind: 'unknown' } : { kind: 'answer', value: text };
  }
  const checked = checkAnswer(step.validate, text, step.buttons);
  if (checked.ok) return { kind: 'answer', value: text };
  if (aside && question) return aside;
  const meant = step.validate.type === 'choice' ? matchOption(text, step.buttons ?? [], knownWords(flows)) : undefined;
  if (meant !== undefined) return { kind: 'answer', value: meant };
  if (aside && step.validate.type === 'choice') return aside;
  if (checked.unknown) return { kind: 'unknown' };
  return { kind: 'answer', value: text };
}

/** The digression the understanding step found, when it is sure enough and something can answer it. */
function asideFor(flows: FlowSet, asking: Flow, understood: Understood | undefined): Verdict | undefined {
  const decision = understood?.decision;
  if (!decision || decision.kind === 'decline' || !(decision.confidence >= DIGRESSION_MIN_CONFIDENCE)) return undefined;
  if (decision.kind === 'flow') {
    const other = flows.flows.get(decision.flow);
    if (!other || other.name === asking.name || other.name === flows.fallbackFlow) return undefined;
    return { kind: 'aside', via: 'flow', flow: other.name };
  }
  const fallback = flows.fallbackFlow ? flows.flows.get(flows.fallbackFlow) : undefined;
  const answer = fallback ? [...fallback.steps.values()].find((s) => s.kind === 'answer') : undefined;
  return fallback && answer ? { kind: 'aside', via: 'answer', flow: fallback.name, step: answer.id } : undefined;
}

const QUESTION_WORDS = new Set(
  `how what whats when where wheres why who whom whose which can could do does did is are was were will would should shall
  may might have has am wie was wann wo woher wohin warum weshalb wieso wer wen wem welche welcher welches welchen kann
  kannst konnen konnt ist sind gibt gilt habt hat haben muss mussen darf durfen soll sollte wird werden bekomme krieg`.split(/\s+/),
);
/** Words a question may open with before its question word: "wait, how long…", "und wo…". */
const OPENERS = new Set('wait and but so ok okay oh hey hi sorry also btw quick question one more moment und aber achso ach ubrigens eine frage noch kurz hm hmm'.split(' '));

/** A question mark, or a question word first (after openers like "wait," or "und"). */
export function readsAsQuestion(text: string): boolean {
  if (text.includes('?')) return true;
  const first = fold(text).split(/[^\p{L}\p{N}]+/u).find((word) => word !== '' && !OPENERS.has(word));
  return first !== undefined && QUESTION_WORDS.has(first);
}

/** Words a whole-message "I don't know" may have around it ("sorry, no idea"), for a free-text ask. */
const NOT_KNOWN_MAX_WORDS = 6;

function onlySaysUnknown(text: string): boolean {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean).length <= NOT_KNOWN_MAX_WORDS && saysUnknown(text);
}

const vocabularies = new WeakMap<FlowSet, KnownWord>();

/** The words of every flow's texts, keywords and examples, and the lexicon's: real words, never read as typos. */
export function knownWords(flows: FlowSet): KnownWord {
  const cached = vocabularies.get(flows);
  if (cached) return cached;
  const words = new Set<string>();
  const add = (text: LocalText) => {
    for (const one of typeof text === 'string' ? [text] : Object.values(text)) {
      for (const word of fold(one).split(/[^\p{L}\p{N}]+/u)) if (word !== '') words.add(word);
    }
  };
  for (const flow of flows.flows.values()) {
    for (const located of flow.texts) add(located.text);
    for (const text of [...flow.triggers.keywords, ...flow.triggers.examples]) add(text);
  }
  const known: KnownWord = (word) => words.has(word) || isLexiconWord(word);
  vocabularies.set(flows, known);
  return known;
}
