/** Picks the text of a conversation's locale from a flow's text, falling back to the flow's default locale. */
import type { LocalText } from './model.ts';

/** The engine's default locale, and a flow's when it sets no `default_locale`. */
export const DEFAULT_LOCALE = 'en';

/** `de-AT` → `de-at`; the form locale keys are stored in. */
export function normalizeLocale(locale: string): string {
  return locale.trim().toLowerCase().replace(/_/g, '-');
}

/**
 * The text for `locale`: its own, else its language's (`de` for `de-at`), else the default locale's. Plain
 * strings are the same in every locale.
 */
export function localize(text: LocalText, locale: string | undefined, defaultLocale: string = DEFAULT_LOCALE): string {
  if (typeof text === 'string') return text;
  if (locale) {
    const wanted = normalizeLocale(locale);
    const own = text[wanted] ?? text[wanted.split('-')[0]!];
    if (own !== undefined) return own;
  }
  return text[defaultLocale] ?? text[DEFAULT_LOCALE] ?? Object.values(text)[0] ?? '';
}

/** Whether `text` has its own wording for `locale` (exactly, or through its language). */
export function hasLocale(text: Readonly<Record<string, string>>, locale: string): boolean {
  return text[locale] !== undefined || text[locale.split('-')[0]!] !== undefined;
}

/** A built-in notice in the locale, with `{name}` placeholders filled from `values` (missing ones left empty). */
export function localizeNotice(text: LocalText, locale: string | undefined, values: Readonly<Record<string, string | number>> = {}): string {
  return localize(text, locale).replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
