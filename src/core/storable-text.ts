/**
 * PostgreSQL's text and jsonb cannot hold NUL, nor a lone UTF-16 surrogate (jsonb refuses its `\ud800` escape): a
 * channel payload carrying one must be refused before anything of it is stored, or it fails half-way through.
 */
export function hasUnstorableText(value: unknown): boolean {
  // JSON.stringify writes NUL and lone surrogates as escapes, and everything else a string holds as itself.
  return /\\u0000|\\ud[89a-f][0-9a-f]{2}/i.test(JSON.stringify(value) ?? '');
}
