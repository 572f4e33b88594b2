import type { CallStep } from '../model.ts';
import { readPath } from '../json-path.ts';
import { BUILT_IN_TEXTS } from '../messages.ts';
import { renderTemplate } from '../template.ts';
import type { EffectResult, VarValue } from '../types.ts';
import { CONTINUE, type StepContext, type StepResult } from './result.ts';
import { sayAction } from './say.ts';

/** Holds why the last call failed (`timeout`, `http_404`, `network`, …); cleared by a call that works. */
export const CALL_ERROR_VAR = 'call_error';

/** Default and largest time a call may take. */
export const DEFAULT_CALL_TIMEOUT_MS = 5000;
export const MAX_CALL_TIMEOUT_MS = 30_000;

/** Asks the caller to call the endpoint with the step's parameters, filled from the variables. */
export function runCall(step: CallStep, { vars }: StepContext): StepResult {
  const params: Record<string, VarValue> = {};
  for (const [name, value] of Object.entries(step.params)) params[name] = typeof value === 'string' ? renderTemplate(value, vars) : value;
  const request = { kind: 'call' as const, endpoint: step.endpoint, params, timeoutMs: step.timeoutMs };
  return { actions: [], next: { kind: 'effect', request } };
}

/** Saves what the answer holds and goes on; on failure records `call_error` and takes `on_error`, or apologises and ends. */
export function resumeCall(step: CallStep, result: EffectResult, ctx: StepContext): StepResult {
  const vars: Record<string, VarValue> = { ...ctx.vars };
  delete vars[CALL_ERROR_VAR];
  if (result.kind === 'call' && result.ok) {
    for (const [name, path] of Object.entries(step.save)) vars[name] = readPath(result.data, path);
    return { actions: [], vars, next: CONTINUE };
  }
  const failed = { ...vars, [CALL_ERROR_VAR]: result.kind === 'call' ? (result.error ?? 'failed') : 'invalid_result' };
  if (step.onError) return { actions: [], vars: failed, next: { kind: 'jump', target: step.onError } };
  return { actions: [sayAction(BUILT_IN_TEXTS.callFailed, undefined, { ...ctx, vars: failed })], vars: failed, next: { kind: 'stop' } };
}
