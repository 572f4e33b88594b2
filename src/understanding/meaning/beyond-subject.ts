/**
 * Whether an article speaks, by meaning, to what a message asks beyond the article's subject. "What colours does the
 * Nova X come in" ranks the Nova X article first on the product's name, and the sentence encoder finds the whole
 * question close to the article's sentences for the same reason. With the subject's words taken out of both sides
 * ("what colours does the come in" against "what camera does the have", "a usb c cable is in the box"), the closeness
 * that is left is that of the question's own point: far from everything the article says, quoting it would answer a
 * question the customer did not ask; close ("how heavy are they" / "weight 250 g"), the words merely differ.
 */
import { analyzerFor, tokenize } from '../../search/text.ts';
import { cosine, type SentenceEncoder } from './sentence-encoder.ts';

/**
 * The confidence's log-odds move by `weight` per unit of closeness beyond the subject above or below `centre`.
 * Chosen on the English Brightwave dev half only (right answers minus twice the confidently wrong ones, over a grid of
 * weights 2–20 and centres 0.3–0.7): weight 6 at centre 0.6. Raising the confidence of a message that does not name
 * the subject ("do you have a loyalty card": "do you have a …" is close to many an article's question) cost a right
 * decline and gained nothing on dev; lowering only, never raising, cost two right answers ("how quickly do the Wave
 * 700 recharge").
 */
export const BEYOND_SUBJECT_MODEL = { weight: 6, centre: 0.6 } as const;

/** Texts shorter than this once the subject is out are its name and a word or two: they say nothing of a point. */
const MIN_CHARS = 4;

/** The text without the words of the subject (their index terms), in the text's own words otherwise. */
export function withoutSubject(text: string, subject: ReadonlySet<string>, lang: string): string {
  const analyzer = analyzerFor(lang);
  return tokenize(text)
    .filter((word) => {
      const term = analyzer.term(word);
      return !(term && subject.has(term));
    })
    .join(' ');
}

/** An article's texts as compared beyond its subject (the texts `prepare` encodes ahead, too). */
export function textsBeyondSubject(texts: readonly string[], subject: ReadonlySet<string>, lang: string): string[] {
  return [...new Set(texts.map((t) => withoutSubject(t, subject, lang)).filter((t) => t.length >= MIN_CHARS))];
}

/**
 * The closeness (-1..1) of the message's point beyond the subject to the closest of the article's `texts` (already
 * without the subject), or undefined when the message only names the subject ("Wave 700") or the article has nothing
 * beyond it.
 */
export async function closenessBeyondSubject(
  encoder: SentenceEncoder,
  message: string,
  subject: ReadonlySet<string>,
  texts: readonly string[],
  lang: string,
): Promise<number | undefined> {
  const asked = withoutSubject(message, subject, lang);
  // A message that does not name the subject is judged by its whole closeness (meaning/rerank.ts): nothing to take out.
  if (asked.length < MIN_CHARS || texts.length === 0 || asked === tokenize(message).join(' ')) return undefined;
  const [point, ...own] = await encoder.encode([asked, ...texts]);
  let best = -1;
  for (const vector of own) best = Math.max(best, cosine(point!, vector));
  return Math.round(best * 1000) / 1000;
}

/** The confidence with the closeness beyond the subject weighed in. */
export function withClosenessBeyondSubject(confidence: number, closeness: number): number {
  const p = Math.min(Math.max(confidence, 1e-6), 1 - 1e-6);
  const z = Math.log(p / (1 - p)) + BEYOND_SUBJECT_MODEL.weight * (closeness - BEYOND_SUBJECT_MODEL.centre);
  return Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
}
