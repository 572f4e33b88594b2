/**
 * A follow-up that leaves out its subject ("and the Pulse Mini?", "what about the Aero 14?", "und der Pulse Mini?")
 * is read with the previous question: its words, less the words of the title of what answered it (the product it
 * was about), are added to the follow-up. "How long does the Wave 700's battery last?" then "and the Pulse Mini?"
 * asks how long the Pulse Mini's battery lasts.
 */
import { tokenize } from '../search/text.ts';

const OPENERS = [
  'and', 'and what about', 'what about', 'how about', 'and how about', 'and for', 'same for', 'same question for',
  'und', 'und was ist mit', 'was ist mit', 'und wie ist es mit', 'wie ist es mit', 'und beim', 'und bei', 'und fur', 'und der', 'und die', 'und das',
];

/** Follow-ups are short: a subject, not a new question. */
const MAX_WORDS = 7;

export function isFollowUp(text: string): boolean {
  const words = tokenize(text);
  if (words.length === 0 || words.length > MAX_WORDS) return false;
  const said = ` ${words.join(' ')} `;
  return OPENERS.some((opener) => said.startsWith(` ${opener} `));
}

/** The follow-up with the previous question's words, less those of the title that answered it. */
export function withPreviousQuestion(text: string, previous: string, answeredBy: string | undefined): string {
  const subject = new Set(tokenize(answeredBy ?? ''));
  const topic = tokenize(previous).filter((word) => !subject.has(word));
  return `${text} ${topic.join(' ')}`;
}
