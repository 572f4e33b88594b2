import type { HandoffStep } from '../model.ts';
import { renderTemplate } from '../template.ts';
import type { StepContext, StepResult } from './result.ts';

/** Hands the conversation to a person; the flow is over, since the bot steps back. */
export function runHandoff(step: HandoffStep, { vars }: StepContext): StepResult {
  return { actions: [{ type: 'handoff', reason: renderTemplate(step.reason, vars) }], next: { kind: 'stop' } };
}
