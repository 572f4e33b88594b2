import type { Step } from '../model.ts';
import type { EffectResult } from '../types.ts';
import { resumeAnswer, runAnswer } from './answer.ts';
import { runAsk } from './ask.ts';
import { resumeCall, runCall } from './call.ts';
import { runEnd } from './end.ts';
import { runGoto } from './goto.ts';
import { runHandoff } from './handoff.ts';
import { runIf } from './if.ts';
import type { StepContext, StepResult } from './result.ts';
import { runSay } from './say.ts';
import { runSet } from './set.ts';

export function executeStep(step: Step, ctx: StepContext): StepResult {
  switch (step.kind) {
    case 'say':
      return runSay(step, ctx);
    case 'ask':
      return runAsk(step, ctx);
    case 'if':
      return runIf(step, ctx);
    case 'set':
      return runSet(step, ctx);
    case 'goto':
      return runGoto(step, ctx);
    case 'handoff':
      return runHandoff(step, ctx);
    case 'end':
      return runEnd(step, ctx);
    case 'call':
      return runCall(step, ctx);
    case 'answer':
      return runAnswer(step, ctx);
    default:
      return unreachable(step);
  }
}

/** Continues a step that stopped for an effect, with the effect's result; undefined for a step that takes none. */
export function resumeStep(step: Step, result: EffectResult, ctx: StepContext): StepResult | undefined {
  if (step.kind === 'call') return resumeCall(step, result, ctx);
  if (step.kind === 'answer') return resumeAnswer(step, result, ctx);
  return undefined;
}

function unreachable(step: never): never {
  throw new Error(`unknown step kind: ${JSON.stringify(step)}`);
}
