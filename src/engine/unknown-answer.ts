/**
 * "I don't have it" / "ich weiß es nicht": an answer to a question that says the customer cannot give one. An ask
 * with `unknown:` takes that way out instead of spending a retry (asking again would only loop). A general list of
 * English and German phrasings, read on lowercased words without accents or punctuation ("don't" → "don t").
 */
import { words } from './text.ts';

const EN = [
  // a negated verb of having, knowing or finding, a few words apart: "I don't have the number", "can't find it"
  /\b(don t|dont|do not|didn t|didnt|did not|haven t|havent|have not|hasn t|can t|cant|cannot|can not|couldn t|couldnt|could not|never)( \w+){0,3} (have|had|know|knew|find|found|remember|recall|get|got|receive|received|see|saw|keep|kept)\b/,
  /\b(no idea|no clue|not sure|unsure|dunno|idk|forgot|forgotten|lost it|lost the|lost my|deleted|threw it away|not with me|no (order )?number|without (a |the |an? order )?number|don t have one|have none)\b/,
];

const DE = [
  // a verb of having, knowing or finding, then its negation a few words on: "ich habe die Nummer nicht", "weiß ich nicht"
  /\b(habe|hab|hatte|weiss|kenne|kannte|finde|fand|sehe|bekam|erinnere|merke)( \w+){0,3} (nicht|kein|keine|keinen|nie)\b/,
  /\b(nicht|keine|keinen)( \w+){0,2} (gefunden|bekommen|erhalten|zur hand|parat|dabei|gemerkt)\b/,
  /\b(keine ahnung|weiss nicht|weiss ich nicht|nicht sicher|vergessen|verloren|verlegt|geloscht|ohne (die )?(bestell)?nummer|keine (bestell)?nummer)\b/,
];

/** Whether the answer says the customer does not have or know what was asked. */
export function saysUnknown(answer: string): boolean {
  const text = words(answer.replace(/ß/g, 'ss')).join(' ');
  return [...EN, ...DE].some((pattern) => pattern.test(text));
}
