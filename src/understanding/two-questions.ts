/**
 * Two questions in one message ("how long is the warranty? and do you ship to Belgium?", "wie lange hält der Akku
 * und kann ich ihn laden während ich höre"): split where a question ends, or at "and also" / "und außerdem", into
 * parts long enough to be questions of their own. The understanding step answers the first and offers the second.
 */
import { tokenize } from '../search/text.ts';

/** A part shorter than this is no question of its own ("ok?", "thanks"). */
const MIN_WORDS = 3;

export function questionParts(text: string): string[] {
  const parts = text
    .split(/\?+\s*|\s+(?:and also|also,|plus|und außerdem|und ausserdem|außerdem|ausserdem|und noch)\s+/i)
    .map((part) => part.trim())
    .filter((part) => tokenize(part).length >= MIN_WORDS);
  return parts.length >= 2 ? parts.slice(0, 2) : [];
}
