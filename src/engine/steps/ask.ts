import type { AskStep } from '../model.ts';
import { BUILT_IN } from '../messages.ts';
import { renderTemplate } from '../template.ts';
import { checkAnswer, defaultRetryHint } from '../validators.ts';
import { sayAction } from './say.ts';
import { CONTINUE, type StepContext, type StepResult } from './result.ts';

/** Asks the question and waits. */
export function runAsk(step: AskStep, { vars }: StepContext): StepResult {
  return { actions: [sayAction(step.prompt, step.buttons, vars)], next: { kind: 'wait', attempts: 0 } };
}

/**
 * Takes the customer's answer. A valid one is stored in the step's variable. A wrong one is asked again
 * (`attempts` counts the wrong answers so far) until `retries` are used up; then `on_fail`, or without
 * one the flow ends with an apology.
 */
export function answerAsk(step: AskStep, answer: string, attempts: number, { vars }: StepContext): StepResult {
  const checked = checkAnswer(step.validate, answer, step.buttons);
  if (checked.ok) return { actions: [], vars: { ...vars, [step.var]: checked.value }, next: CONTINUE };
  if (attempts + 1 <= step.retries) {
    const retry = step.retry ?? `${defaultRetryHint(step.validate)} ${renderTemplate(step.prompt, vars)}`;
    return { actions: [sayAction(retry, step.buttons, vars)], next: { kind: 'wait', attempts: attempts + 1 } };
  }
  if (step.onFail) return { actions: [], next: { kind: 'jump', target: step.onFail } };
  return { actions: [sayAction(BUILT_IN.gaveUp, undefined, vars)], next: { kind: 'stop' } };
}
