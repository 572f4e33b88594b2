import { BUILT_IN_PAYLOADS, BUILT_IN_TEXTS } from '../messages.ts';
import type { AskStep } from '../model.ts';
import type { StepContext, StepResult } from './result.ts';
import { sayAction } from './say.ts';

/**
 * The question again, with its buttons, after something asked on the side was answered: `attempts` (the wrong answers
 * so far) stays as it was, since a question is not a wrong answer.
 */
export function repeatAsk(step: AskStep, attempts: number, ctx: StepContext): StepResult {
  return { actions: [sayAction(step.prompt, step.buttons, ctx)], next: { kind: 'wait', attempts } };
}

/**
 * "I don't know" / "I don't have it": the ask's way out at once, without spending a retry: its `on_unknown`, else
 * its `on_fail`; an ask with neither offers a person and asks again (with a "Talk to a person" button beside its
 * own), so the customer is never left in a silent loop and may still answer.
 */
export function answerUnknown(step: AskStep, attempts: number, ctx: StepContext): StepResult {
  const wayOut = step.onUnknown ?? step.onFail;
  if (wayOut) return { actions: [], next: { kind: 'jump', target: wayOut } };
  const buttons = [...(step.buttons ?? []), { title: BUILT_IN_TEXTS.personButton, payload: BUILT_IN_PAYLOADS.person }];
  return { actions: [sayAction(BUILT_IN_TEXTS.noAnswer, undefined, ctx), sayAction(step.prompt, buttons, ctx)], next: { kind: 'wait', attempts } };
}
