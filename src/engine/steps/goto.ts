import type { GotoStep } from '../model.ts';
import type { StepContext, StepResult } from './result.ts';

export function runGoto(step: GotoStep, _ctx: StepContext): StepResult {
  return { actions: [], next: { kind: 'jump', target: step.target } };
}
