import type { EndStep } from '../model.ts';
import type { StepContext, StepResult } from './result.ts';

export function runEnd(_step: EndStep, _ctx: StepContext): StepResult {
  return { actions: [{ type: 'end' }], next: { kind: 'stop' } };
}
