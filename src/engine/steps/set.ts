import type { SetStep } from '../model.ts';
import { renderTemplate } from '../template.ts';
import type { VarValue } from '../types.ts';
import { CONTINUE, localeOf, type StepContext, type StepResult } from './result.ts';

/** Sets variables; text values may use {{var}} and see the variables as they were before this step. */
export function runSet(step: SetStep, ctx: StepContext): StepResult {
  const { vars } = ctx;
  const next: Record<string, VarValue> = { ...vars };
  for (const [name, value] of Object.entries(step.values)) {
    next[name] = typeof value === 'string' ? renderTemplate(value, vars, localeOf(ctx)) : value;
  }
  return { actions: [], vars: next, next: CONTINUE };
}
