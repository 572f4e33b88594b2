import type { Button } from '../../core/message.ts';
import type { FlowButton, LocalText, SayStep } from '../model.ts';
import { renderTemplate } from '../template.ts';
import type { EngineAction } from '../types.ts';
import { CONTINUE, localeOf, textFor, type StepContext, type StepResult } from './result.ts';

/** Buttons as the customer sees them: titles in their locale, placeholders filled. */
export function renderButtons(buttons: readonly FlowButton[], ctx: StepContext): Button[] {
  return buttons.map((b) => ({ title: renderTemplate(textFor(ctx, b.title), ctx.vars, localeOf(ctx)), payload: b.payload }));
}

/** A say action in the conversation's locale, with a fresh copy of its buttons, so callers never reach into the flow set. */
export function sayAction(text: LocalText, buttons: readonly FlowButton[] | undefined, ctx: StepContext): EngineAction {
  const message = { text: renderTemplate(textFor(ctx, text), ctx.vars, localeOf(ctx)) };
  if (!buttons || buttons.length === 0) return { type: 'say', message };
  return { type: 'say', message: { ...message, buttons: renderButtons(buttons, ctx) } };
}

export function runSay(step: SayStep, ctx: StepContext): StepResult {
  return { actions: [sayAction(step.text, step.buttons, ctx)], next: CONTINUE };
}
