/** Text normalization for matching what customers type: case-, accent- and punctuation-insensitive. */

/** Lowercase words without accents or punctuation: "Où est ma commande?" → ["ou", "est", "ma", "commande"]. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** Crude plural folding so "returns" matches "return"; applied to both sides, so it only needs to be consistent. */
export function stem(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

export function terms(text: string): string[] {
  return words(text).map(stem);
}

/** The same words, ignoring case, accents and punctuation. */
export function sameText(a: string, b: string): boolean {
  return words(a).join(' ') === words(b).join(' ');
}
