/**
 * Which language a customer writes in, English or German, from the words themselves: each language's common
 * function words and spellings (a general list, not one picked from any evaluation set), plus the words that
 * only one language's knowledge articles and flow texts use. A message with no telling words ("ok", "BW-12345",
 * "Wave 700?") has no language, and the conversation keeps the one it has.
 */
import { normalize } from '../search/text.ts';

const FUNCTION_WORDS: Record<string, string[]> = {
  en: `the a an and or but is are was were be been am do does did have has had i you he she it we they me my your our
    their this that these those what where when why how which who whom can could would should will shall may might
    must not no yes of to in on at for from with about into by as if then than there here please thanks thank hello
    hi hey want need get got dont doesnt didnt cant wont isnt arent im ive youre its any some much many more just
    still yet already also too very really is it my order when will did`.split(/\s+/),
  de: `der die das den dem des ein eine einen einem einer und oder aber ist sind war waren bin bist sein hat habe
    haben hatte ich du er sie es wir ihr mich mir dich dir uns euch mein meine meinen meinem meiner dein deine ihre
    ihren unser unsere was wo wann warum wie welche welcher welches wer wen wem kann kannst konnen koennen konnte
    wurde wuerde wird werden soll sollte muss mussen nicht kein keine keinen ja nein von zu im am auf fur fuer mit
    uber ueber bei nach aus als wenn dann noch schon auch sehr bitte danke hallo gibt geht gern gerne mal doch denn
    nur wieder etwa hier dort jetzt heute morgen gestern bestellt bestellung lieferung`.split(/\s+/),
};

/** Letter sequences found in German words and (almost) never in English ones. */
const GERMAN_SPELLING = /[äöüß]|(?:sch|tsch|ung\b|keit\b|heit\b|lich\b|ae|oe|ue)/;

export interface LanguageVocabulary {
  /** Words (normalized) that appear in only one language's texts, with that language. */
  only: ReadonlyMap<string, string>;
}

const functionWords = new Map<string, string>();
for (const [lang, words] of Object.entries(FUNCTION_WORDS)) {
  for (const word of words) {
    const key = normalize(word);
    // A word both lists claim ("also", "will" is German too in "ich will") tells nothing.
    if (functionWords.has(key) && functionWords.get(key) !== lang) functionWords.set(key, '');
    else functionWords.set(key, lang);
  }
}

/** The language of `text` (`en` or `de`), or undefined when its words do not tell. */
export function detectLanguage(text: string, vocabulary?: LanguageVocabulary): string | undefined {
  const lowered = text.toLowerCase();
  const tokens = normalize(text).split(/[^\p{L}]+/u).filter((t) => t.length > 1);
  const score: Record<string, number> = { en: 0, de: 0 };
  for (const token of tokens) {
    const fn = functionWords.get(token);
    if (fn) score[fn]! += 1;
    else {
      const only = vocabulary?.only.get(token);
      if (only && only in score) score[only]! += 0.5;
    }
  }
  const rawWords = lowered.split(/[^\p{L}]+/u).filter((t) => t.length > 3);
  if (/[äöüß]/.test(lowered)) score.de! += 1.5;
  else if (rawWords.some((w) => GERMAN_SPELLING.test(w) && !/^(sch|ae|oe|ue)/.test(w) && !ENGLISH_LOOKALIKES.has(w))) score.de! += 0.5;
  const en = score.en!;
  const de = score.de!;
  if (Math.max(en, de) < 1 || Math.abs(en - de) < 1) return undefined;
  return en > de ? 'en' : 'de';
}

/** English words that contain a "German" letter sequence. */
const ENGLISH_LOOKALIKES = new Set(['does', 'goes', 'shoes', 'toes', 'blue', 'true', 'value', 'issue', 'issues', 'queue', 'continue', 'due', 'clue', 'glue', 'tuesday', 'schedule', 'school', 'lich']);

/** Words that only one language's texts use: German words never seen in English text and the other way round. */
export function buildVocabulary(texts: ReadonlyArray<{ language: string; text: string }>): LanguageVocabulary {
  const seen = new Map<string, Set<string>>();
  for (const { language, text } of texts) {
    for (const token of normalize(text).split(/[^\p{L}]+/u)) {
      if (token.length < 4) continue;
      const langs = seen.get(token) ?? new Set<string>();
      langs.add(language);
      seen.set(token, langs);
    }
  }
  const only = new Map<string, string>();
  for (const [token, langs] of seen) if (langs.size === 1) only.set(token, [...langs][0]!);
  return { only };
}
