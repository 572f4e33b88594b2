import { DEFAULT_LOCALE } from './localize.ts';
import type { VarValue } from './types.ts';

/** `{{name}}` or `{{name | filter}}`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\s*([A-Za-z_][A-Za-z0-9_]*)\s*)?\}\}/y;
const PLACEHOLDERS = new RegExp(PLACEHOLDER.source, 'g');

/**
 * Filters a placeholder may name: each formats a date or time value (`2026-12-07`, `2026-12-07T14:30:00+01:00`)
 * for the conversation's language; any other value is shown as it is.
 */
const FILTERS = {
  /** "7 December", "7. Dezember" */
  date: { day: 'numeric', month: 'long' },
  /** "14:30", "02:30 PM" */
  time: { hour: '2-digit', minute: '2-digit' },
  /** "7 December at 14:30", "7. Dezember um 14:30" */
  datetime: { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type TemplateFilter = keyof typeof FILTERS;
export const TEMPLATE_FILTERS = Object.keys(FILTERS) as TemplateFilter[];

/** What is wrong with a template's braces, and where (offset into the text); undefined when it is fine. */
export function checkTemplate(text: string): { message: string; offset: number } | undefined {
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('{{', i)) {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(text);
      if (match) {
        const filter = match[2];
        if (filter !== undefined && !(filter in FILTERS)) {
          return { message: `unknown filter '${filter}' in '${match[0]}' (known: ${TEMPLATE_FILTERS.join(', ')})`, offset: i };
        }
        i += match[0].length;
        continue;
      }
      const close = text.indexOf('}}', i + 2);
      if (close === -1) return { message: "'{{' is never closed with '}}'", offset: i };
      return { message: `'${text.slice(i, close + 2)}' must hold one variable name, like {{order_number}} or {{eta | date}}`, offset: i };
    }
    if (text.startsWith('}}', i)) return { message: "'}}' without a matching '{{'", offset: i };
    i += 1;
  }
  return undefined;
}

/** The text of a variable as a customer sees it; unset variables read as empty text. */
export function varText(value: VarValue | undefined): string {
  return value === undefined || value === null ? '' : String(value);
}

/**
 * Fills `{{var}}` placeholders; `{{var | date}}` (`time`, `datetime`) formats the variable for `locale` (default:
 * the `locale` variable, else English). Templates are checked at load time, so nothing malformed reaches here.
 */
export function renderTemplate(text: string, vars: Readonly<Record<string, VarValue>>, locale?: string): string {
  const language = locale ?? (typeof vars.locale === 'string' && vars.locale !== '' ? vars.locale : DEFAULT_LOCALE);
  return text.replace(PLACEHOLDERS, (_, name: string, filter: string | undefined) => {
    const value = varText(vars[name]);
    return filter === undefined ? value : formatDate(value, filter as TemplateFilter, language);
  });
}

// 2026-12-07, 2026-12-07T14:30, 2026-12-07 14:30:00.000Z, 2026-12-07T14:30:00+01:00
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A date or time value written for people in `locale`. The wall-clock time is shown as the value writes it (the time
 * zone of the system that sent it, usually the shop's), so the result never depends on the server's time zone, and a
 * date is never shifted to the day before. A value that is no date, or a time filter on a bare date, is left as it is.
 */
export function formatDate(value: string, filter: TemplateFilter, locale: string): string {
  const match = ISO_DATE.exec(value.trim());
  if (!match) return value;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  const hasTime = hour !== undefined;
  if (filter === 'time' && !hasTime) return value;
  const at = new Date(Date.UTC(year!, month! - 1, day!, hour ?? 0, minute ?? 0, second ?? 0));
  // Date.UTC rolls 2026-02-31 over into March: such a value is no date.
  if (at.getUTCMonth() !== month! - 1 || at.getUTCDate() !== day! || (hour ?? 0) > 23 || (minute ?? 0) > 59) return value;
  const options = filter === 'datetime' && !hasTime ? FILTERS.date : FILTERS[filter];
  return dateFormat(locale, options).format(at);
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const all = { ...options, timeZone: 'UTC' };
  try {
    return new Intl.DateTimeFormat(intlLocale(locale), all);
  } catch {
    return new Intl.DateTimeFormat(intlLocale(DEFAULT_LOCALE), all);
  }
}

/** A bare `en` reads day before month ("7 December"), as in every English-speaking market but the US (`en-US`). */
function intlLocale(locale: string): string {
  return locale.toLowerCase() === 'en' ? 'en-GB' : locale;
}
