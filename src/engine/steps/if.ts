import { evaluateCondition } from '../condition.ts';
import type { IfStep } from '../model.ts';
import { CONTINUE, type StepContext, type StepResult } from './result.ts';

export function runIf(step: IfStep, { vars }: StepContext): StepResult {
  const target = evaluateCondition(step.condition, vars) ? step.then : step.else;
  return { actions: [], next: target ? { kind: 'jump', target } : CONTINUE };
}
