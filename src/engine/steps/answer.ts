import type { AnswerStep } from '../model.ts';
import { BUILT_IN_PAYLOADS, BUILT_IN_TEXTS } from '../messages.ts';
import { renderTemplate } from '../template.ts';
import type { EffectResult } from '../types.ts';
import { CONTINUE, textFor, type StepContext, type StepResult } from './result.ts';
import { sayAction } from './say.ts';

/** The lowest confidence at which an answer is given, unless the step sets `min_confidence`. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

/** Asks the caller for the knowledge base's answer; an empty question (a button press) is unsure straight away. */
export function runAnswer(step: AnswerStep, ctx: StepContext): StepResult {
  const question = renderTemplate(step.question, ctx.vars).trim();
  if (question === '') return unsure(step, ctx);
  return { actions: [], next: { kind: 'effect', request: { kind: 'answer', question } } };
}

/**
 * Says a confident answer (as the knowledge base wrote it, never templated) with one "Source: <title>" line per
 * article, or stores it in `save`; anything less confident takes `on_unsure`.
 */
export function resumeAnswer(step: AnswerStep, result: EffectResult, ctx: StepContext): StepResult {
  const threshold = step.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (result.kind !== 'answer' || result.answer === null || result.answer.trim() === '' || !(result.confidence >= threshold)) {
    return unsure(step, ctx);
  }
  if (step.save) return { actions: [], vars: { ...ctx.vars, [step.save]: result.answer }, next: CONTINUE };
  const label = textFor(ctx, BUILT_IN_TEXTS.source);
  const sources = [...new Set(result.sources)].map((title) => `${label}: ${title}`);
  const text = sources.length > 0 ? `${result.answer}\n\n${sources.join('\n')}` : result.answer;
  return { actions: [{ type: 'say', message: { text } }], next: CONTINUE };
}

function unsure(step: AnswerStep, ctx: StepContext): StepResult {
  if (step.onUnsure) return { actions: [], next: { kind: 'jump', target: step.onUnsure } };
  const buttons = [
    { title: BUILT_IN_TEXTS.rephraseButton, payload: BUILT_IN_PAYLOADS.rephrase },
    { title: BUILT_IN_TEXTS.personButton, payload: BUILT_IN_PAYLOADS.person },
  ];
  return { actions: [sayAction(BUILT_IN_TEXTS.unsure, buttons, ctx)], next: { kind: 'stop' } };
}
