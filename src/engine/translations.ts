/**
 * Which texts lack a translation. A flow set speaks every locale any of its texts is written in (and every
 * flow's default locale); a text in several languages that lacks one of them, or a plain text in a set that
 * speaks more than one, is reported. The conversation still works: it falls back to the flow's default locale.
 * Plain texts without letters (a `{{link}}`, a phone number) are the same in every language and never reported.
 */
import { hasLocale } from './localize.ts';
import type { FlowSet, LocalText } from './model.ts';

export interface MissingTranslation {
  file: string;
  line: number;
  col: number;
  locale: string;
  message: string;
}

/** The locales a flow set speaks: every key of its texts and every flow's default locale, sorted. */
export function flowSetLocales(flowSet: FlowSet): string[] {
  const locales = new Set<string>();
  for (const flow of flowSet.flows.values()) {
    locales.add(flow.defaultLocale);
    for (const { text } of flow.texts) if (typeof text !== 'string') Object.keys(text).forEach((l) => locales.add(l));
  }
  return [...locales].sort();
}

export function missingTranslations(flowSet: FlowSet): MissingTranslation[] {
  const locales = flowSetLocales(flowSet);
  if (locales.length < 2) return [];
  const missing: MissingTranslation[] = [];
  for (const flow of flowSet.flows.values()) {
    for (const { line, col, text } of flow.texts) {
      for (const locale of locales) {
        if (covers(text, locale, flow.defaultLocale)) continue;
        missing.push({
          file: flow.file, line, col, locale,
          message: `no '${locale}' translation: customers whose language is ${locale} see the '${flow.defaultLocale}' text`,
        });
      }
    }
  }
  return missing.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col || (a.locale < b.locale ? -1 : 1)));
}

function covers(text: LocalText, locale: string, defaultLocale: string): boolean {
  if (typeof text !== 'string') return hasLocale(text, locale);
  return locale === defaultLocale || !/\p{L}/u.test(text.replace(/\{\{[^}]*\}\}/g, ''));
}
