import type { VarValue } from './types.ts';

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/y;
const PLACEHOLDERS = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** What is wrong with a template's braces, and where (offset into the text); undefined when it is fine. */
export function checkTemplate(text: string): { message: string; offset: number } | undefined {
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('{{', i)) {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(text);
      if (match) {
        i += match[0].length;
        continue;
      }
      const close = text.indexOf('}}', i + 2);
      if (close === -1) return { message: "'{{' is never closed with '}}'", offset: i };
      return { message: `'${text.slice(i, close + 2)}' must hold one variable name, like {{order_number}}`, offset: i };
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

/** Fills `{{var}}` placeholders. Templates are checked at load time, so nothing malformed reaches here. */
export function renderTemplate(text: string, vars: Readonly<Record<string, VarValue>>): string {
  return text.replace(PLACEHOLDERS, (_, name: string) => varText(vars[name]));
}
