import type { Button } from '../../core/message.ts';
import type { SayStep } from '../model.ts';
import { renderTemplate } from '../template.ts';
import type { EngineAction, VarValue } from '../types.ts';
import { CONTINUE, type StepContext, type StepResult } from './result.ts';

/** A say action with a fresh copy of its buttons, so callers can never reach into the flow set. */
export function sayAction(text: string, buttons: readonly Button[] | undefined, vars: Readonly<Record<string, VarValue>>): EngineAction {
  const message = { text: renderTemplate(text, vars) };
  if (!buttons || buttons.length === 0) return { type: 'say', message };
  return { type: 'say', message: { ...message, buttons: buttons.map((b) => ({ title: renderTemplate(b.title, vars), payload: b.payload })) } };
}

export function runSay(step: SayStep, { vars }: StepContext): StepResult {
  return { actions: [sayAction(step.text, step.buttons, vars)], next: CONTINUE };
}
