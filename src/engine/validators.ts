import type { Button } from '../core/message.ts';
import type { Validator } from './model.ts';
import { sameText } from './text.ts';
import type { VarValue } from './types.ts';

export type Checked = { ok: true; value: VarValue } | { ok: false };

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^\+?[\d\s().\/-]+$/;

/**
 * Checks one answer. What is stored: text trimmed; numbers as numbers ("12,5" → 12.5); for a choice,
 * the chosen button's payload, matched by its title (case- and accent-insensitive), its number
 * ("2" for the second) or the payload itself.
 */
export function checkAnswer(validator: Validator, raw: string, choices: readonly Button[] = []): Checked {
  const answer = raw.trim();
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
    case 'choice': {
      const index = /^\d+$/.test(answer) ? Number(answer) - 1 : -1;
      const chosen = choices[index] ?? choices.find((c) => c.payload === answer || sameText(c.title, answer));
      return chosen ? { ok: true, value: chosen.payload } : { ok: false };
    }
  }
}

/** The hint sent before the question again when an ask has no `retry` of its own. */
export function defaultRetryHint(validator: Validator): string {
  switch (validator.type) {
    case 'text':
      return 'Sorry, I need an answer to go on.';
    case 'number': {
      const { min, max } = validator;
      if (min !== undefined && max !== undefined) return `Please answer with a number from ${min} to ${max}.`;
      if (min !== undefined) return `Please answer with a number of at least ${min}.`;
      if (max !== undefined) return `Please answer with a number up to ${max}.`;
      return 'Please answer with a number.';
    }
    case 'email':
      return "That doesn't look like an email address (like name@example.com).";
    case 'phone':
      return "That doesn't look like a phone number.";
    case 'pattern':
      return "Sorry, that doesn't look right.";
    case 'choice':
      return 'Please pick one of the options.';
  }
}
