/**
 * Translations sit beside their original as `<name>.<locale>.md` (or `faq.<locale>.jsonl`) and share its article
 * id: an article is identified by (id, locale). These helpers read the locale from a file name and build passage ids
 * that stay unique across the locales of one article.
 */

/** A locale tag as front matter and FAQ entries spell it (`en`, `de`, `en-GB`, `pt_BR`). */
export const LOCALE_TAG = /^[a-z]{2,3}([-_][A-Za-z]{2,4})?$/;
export const LOCALE_TAG_MESSAGE = 'must be a language tag such as en or en-GB';

/** A file-name suffix: a two-letter language, optionally with a region (`de`, `en-GB`, `pt_BR`). */
const SUFFIX = /^(.+)\.([a-z]{2}(?:[-_][A-Za-z]{2})?)$/;
const LANGUAGES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * `products/wave-700-anc.de` → `{ base: 'products/wave-700-anc', locale: 'de' }`. The name is given without its
 * extension. A suffix that is not a known language (`notes.ok`) is part of the name: `{ base, locale: null }`.
 */
export function splitLocaleSuffix(name: string): { base: string; locale: string | null } {
  const match = SUFFIX.exec(name);
  if (!match || !LANGUAGES.of(match[2]!.slice(0, 2))) return { base: name, locale: null };
  return { base: match[1]!, locale: match[2]! };
}

/** `de_AT` and `de-at` are the same locale. */
export function normalizeLocale(locale: string): string {
  return locale.replace(/_/g, '-').toLowerCase();
}

export function sameLocale(a: string, b: string): boolean {
  return normalizeLocale(a) === normalizeLocale(b);
}

/**
 * The id of an article's n-th passage: `<id>#<n>` in the default locale (as before translations existed),
 * `<id>@<locale>#<n>` in any other, so the English and German passages of one article never share an id.
 */
export function passageId(articleId: string, locale: string, defaultLocale: string, n: number): string {
  return sameLocale(locale, defaultLocale) ? `${articleId}#${n}` : `${articleId}@${normalizeLocale(locale)}#${n}`;
}

/** The problem when a file's `locale` field says something else than its name. */
export function localeDisagrees(field: string, fromName: string): string {
  return `'locale' is ${field} but the file name says ${fromName}: leave the field out or make them agree`;
}
