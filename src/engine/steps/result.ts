import { localize } from '../localize.ts';
import type { LocalText, Target } from '../model.ts';
import type { Understood } from '../../core/understanding.ts';
import type { EffectRequest, EngineAction, VarValue } from '../types.ts';

/** Where the runner goes after a step. */
export type Next =
  | { kind: 'continue' }
  | { kind: 'jump'; target: Target }
  /** Stop the turn and wait for the customer's answer to this ask. */
  | { kind: 'wait'; attempts: number }
  /** Stop the turn until the caller performs this request and resumes the step with its result. */
  | { kind: 'effect'; request: EffectRequest }
  /** The flow is over (end, handoff, or an ask gave up); the conversation goes idle. */
  | { kind: 'stop' };

export interface StepResult {
  actions: EngineAction[];
  /** The variables after the step, when it changed them. */
  vars?: Record<string, VarValue>;
  next: Next;
}

export interface StepContext {
  /** The conversation's variables; `vars.locale` is its language. */
  vars: Readonly<Record<string, VarValue>>;
  /** The running flow's `default_locale`. */
  defaultLocale: string;
  /** What the understanding step made of this turn's message, when it was free text. */
  understood?: Understood;
}

export const CONTINUE: Next = { kind: 'continue' };

/** The conversation's locale as the steps see it: the `locale` variable, else the flow's default. */
export function localeOf(ctx: StepContext): string {
  const locale = ctx.vars.locale;
  return typeof locale === 'string' && locale !== '' ? locale : ctx.defaultLocale;
}

/** A flow text (or a built-in one) in the conversation's locale, before its placeholders are filled. */
export function textFor(ctx: StepContext, text: LocalText): string {
  return localize(text, localeOf(ctx), ctx.defaultLocale);
}
