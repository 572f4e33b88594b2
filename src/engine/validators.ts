import { localize } from './localize.ts';
import type { FlowButton, Validator } from './model.ts';
import { sameText } from './text.ts';
import type { VarValue } from './types.ts';
import { saysUnknown } from './unknown-answer.ts';

/** A wrong answer is `unknown` when it says the customer does not have or know the answer ("I don't have it"). */
export type Checked = { ok: true; value: VarValue } | { ok: false; unknown?: true };

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^\+?[\d\s().\/-]+$/;

/**
 * Checks one answer. What is stored: text trimmed; numbers as numbers ("12,5" → 12.5); a code in its canonical
 * form (`BW-12345`); for a choice, the chosen button's payload, matched by its title in any of its languages
 * (case- and accent-insensitive), its number ("2" for the second) or the payload itself.
 */
export function checkAnswer(validator: Validator, raw: string, choices: readonly FlowButton[] = []): Checked {
  const checked = validate(validator, raw.trim(), choices);
  return checked.ok || !saysUnknown(raw) ? checked : { ok: false, unknown: true };
}

function validate(validator: Validator, answer: string, choices: readonly FlowButton[]): Checked {
  if (answer === '') return { ok: false };
  switch (validator.type) {
    case 'text':
      return { ok: true, value: answer };
    case 'number': {
      if (!/^-?\d+([.,]\d+)?$/.test(answer)) return { ok: false };
      const value = Number(answer.replace(',', '.'));
      const inRange = (validator.min === undefined || value >= validator.min) && (validator.max === undefined || value <= validator.max);
      return inRange ? { ok: true, value } : { ok: false };
    }
    case 'email':
      return EMAIL.test(answer) ? { ok: true, value: answer } : { ok: false };
    case 'phone': {
      const digits = answer.replace(/\D/g, '').length;
      return PHONE.test(answer) && digits >= 7 && digits <= 15 ? { ok: true, value: answer } : { ok: false };
    }
    case 'pattern':
      return new RegExp(validator.pattern, 'u').test(answer) ? { ok: true, value: answer } : { ok: false };
    case 'code': {
      const found = new Set(findCodes(validator, answer));
      return found.size === 1 ? { ok: true, value: [...found][0]! } : { ok: false };
    }
    case 'choice': {
      const index = /^\d+$/.test(answer) ? Number(answer) - 1 : -1;
      const chosen = choices[index] ?? choices.find((c) => c.payload === answer || titles(c).some((title) => sameText(title, answer)));
      return chosen ? { ok: true, value: chosen.payload } : { ok: false };
    }
  }
}

/**
 * Every code in the text, canonical: the prefix in any case, then spaces, `-`, `.`, `_`, `/` or `#` or nothing, then
 * exactly the digits, standing alone ("order #bw 12345." but not "abw12345" or "BW-123456").
 */
export function findCodes(validator: Extract<Validator, { type: 'code' }>, text: string): string[] {
  const code = new RegExp(`(?<![\\p{L}\\p{N}])${validator.prefix}[\\s._/#-]*(\\d{${validator.digits}})(?![\\p{L}\\p{N}])`, 'giu');
  return [...text.matchAll(code)].map((match) => `${validator.prefix}${validator.separator}${match[1]}`);
}

/** What a code looks like, for hints: BW-12345. */
export function codeExample(validator: Extract<Validator, { type: 'code' }>): string {
  const digits = Array.from({ length: validator.digits }, (_, i) => String((i + 1) % 10)).join('');
  return `${validator.prefix}${validator.separator}${digits}`;
}

function titles(button: FlowButton): string[] {
  return typeof button.title === 'string' ? [button.title] : Object.values(button.title);
}

/** The hint sent before the question again when an ask has no `retry` of its own, in the conversation's locale. */
export function defaultRetryHint(validator: Validator, locale?: string): string {
  const hint = retryHint(validator);
  return localize(hint, locale);
}

function retryHint(validator: Validator): { en: string; de: string } {
  switch (validator.type) {
    case 'text':
      return { en: 'Sorry, I need an answer to go on.', de: 'Entschuldigung, ich brauche eine Antwort, um weiterzumachen.' };
    case 'number': {
      const { min, max } = validator;
      if (min !== undefined && max !== undefined) {
        return { en: `Please answer with a number from ${min} to ${max}.`, de: `Bitte antworten Sie mit einer Zahl von ${min} bis ${max}.` };
      }
      if (min !== undefined) return { en: `Please answer with a number of at least ${min}.`, de: `Bitte antworten Sie mit einer Zahl ab ${min}.` };
      if (max !== undefined) return { en: `Please answer with a number up to ${max}.`, de: `Bitte antworten Sie mit einer Zahl bis ${max}.` };
      return { en: 'Please answer with a number.', de: 'Bitte antworten Sie mit einer Zahl.' };
    }
    case 'email':
      return {
        en: "That doesn't look like an email address (like name@example.com).",
        de: 'Das sieht nicht nach einer E-Mail-Adresse aus (wie name@example.com).',
      };
    case 'phone':
      return { en: "That doesn't look like a phone number.", de: 'Das sieht nicht nach einer Telefonnummer aus.' };
    case 'pattern':
      return { en: "Sorry, that doesn't look right.", de: 'Entschuldigung, das sieht nicht richtig aus.' };
    case 'code': {
      const example = codeExample(validator);
      return { en: `I need a number like ${example}.`, de: `Ich brauche eine Nummer wie ${example}.` };
    }
    case 'choice':
      return { en: 'Please pick one of the options.', de: 'Bitte wählen Sie eine der Möglichkeiten.' };
  }
}
