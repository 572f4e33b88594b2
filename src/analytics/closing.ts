/**
 * A customer closing a conversation in so many words: "thanks, bye", "ok thank you so much!", "that's all",
 * "danke, tschüss". The whole message must be made of such words (a question that also says thanks is not a
 * goodbye), and at least one of them must be a thank-you or a goodbye ("ok" alone is not).
 */
const CLOSERS = new Set([
  'thanks', 'thank', 'thx', 'ty', 'cheers', 'bye', 'goodbye', 'byebye',
  'danke', 'dankeschön', 'dank', 'tschüss', 'tschüs', 'tschau', 'ciao', 'wiedersehen', 'wiederhören',
]);
const FILLERS = new Set([
  'ok', 'okay', 'k', 'great', 'perfect', 'super', 'cool', 'nice', 'awesome', 'fine', 'good', 'alright', 'brilliant', 'lovely',
  'you', 'so', 'much', 'very', 'a', 'lot', 'many', 'for', 'the', 'your', 'help', 'all', 'that', 'thats', 's', 'is', 'it', 'was',
  'no', 'nothing', 'else', 'see', 'ya', 'later', 'have', 'day', 'again', 'and', 'then',
  'prima', 'toll', 'gut', 'alles', 'klar', 'schön', 'schoen', 'sehr', 'vielen', 'herzlichen', 'besten', 'für', 'die', 'hilfe',
  'das', 'wars', 'war', 'es', 'nein', 'passt', 'auf', 'einen', 'schönen', 'tag', 'noch', 'und',
]);
/** Phrases that close on their own. */
const CLOSING_PHRASES = [/\bthat'?s all\b/u, /\bnothing else\b/u, /\bdas war'?s\b/u, /\bdas war es\b/u];

export function isClosingMessage(text: string): boolean {
  const lower = text.toLowerCase().normalize('NFC').trim();
  if (lower === '' || lower.length > 80) return false;
  const words = lower.replace(/[’']/gu, '').split(/[^\p{L}]+/u).filter(Boolean);
  if (words.length === 0 || !words.every((word) => CLOSERS.has(word) || FILLERS.has(word))) return false;
  return words.some((word) => CLOSERS.has(word)) || CLOSING_PHRASES.some((phrase) => phrase.test(lower.replace(/’/gu, "'")));
}
