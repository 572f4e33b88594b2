import type { AskStep } from '../model.ts';
import { BUILT_IN_TEXTS } from '../messages.ts';
import { renderTemplate } from '../template.ts';
import { checkAnswer, defaultRetryHint } from '../validators.ts';
import { sayAction } from './say.ts';
import { CONTINUE, localeOf, textFor, type StepContext, type StepResult } from './result.ts';

/** Asks the question and waits. */
export function runAsk(step: AskStep, ctx: StepContext): StepResult {
  return { actions: [sayAction(step.prompt, step.buttons, ctx)], next: { kind: 'wait', attempts: 0 } };
}

/**
 * Takes the customer's answer. A valid one is stored in the step's variable. A wrong one is asked again
 * (`attempts` counts the wrong answers so far) until `retries` are used up; then `on_fail`, or without
 * one the flow ends with an apology. A choice accepts a button's title in any of the flow's languages.
 */
export function answerAsk(step: AskStep, answer: string, attempts: number, ctx: StepContext): StepResult {
  const checked = checkAnswer(step.validate, answer, step.buttons);
  if (checked.ok) return { actions: [], vars: { ...ctx.vars, [step.var]: checked.value }, next: CONTINUE };
  // "I don't have the number": asking again would only loop, so the flow's way out is taken and no retry is spent.
  if (checked.unknown && step.onUnknown) return { actions: [], next: { kind: 'jump', target: step.onUnknown } };
  if (attempts + 1 <= step.retries) {
    const retry = step.retry ?? `${defaultRetryHint(step.validate, localeOf(ctx))} ${renderTemplate(textFor(ctx, step.prompt), ctx.vars)}`;
    return { actions: [sayAction(retry, step.buttons, ctx)], next: { kind: 'wait', attempts: attempts + 1 } };
  }
  if (step.onFail) return { actions: [], next: { kind: 'jump', target: step.onFail } };
  return { actions: [sayAction(BUILT_IN_TEXTS.gaveUp, undefined, ctx)], next: { kind: 'stop' } };
}
