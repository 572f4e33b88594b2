import type { AnswerStep } from '../model.ts';
import { ARTICLE_PAYLOAD, BUILT_IN_PAYLOADS, BUILT_IN_TEXTS } from '../messages.ts';
import { renderTemplate } from '../template.ts';
import type { EffectResult } from '../types.ts';
import { CONTINUE, textFor, type StepContext, type StepResult } from './result.ts';
import { sayAction } from './say.ts';

/** Below this confidence the closest candidates are too far off to offer. */
export const OFFER_FLOOR = 0.4;

/** The variable that keeps the question the bot was unsure about, for the article buttons it offered. */
export const ASKED_VAR = 'unsure_question';

/** The lowest confidence at which an answer is given, unless the step sets `min_confidence`. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;

/**
 * Asks the caller for the knowledge base's answer; an empty question (a button press) is unsure straight away.
 * When the question is the customer's message and the understanding step decided on it, the request carries
 * that decision, so the knowledge base answers from the article chosen (or declines) without ranking again.
 */
export function runAnswer(step: AnswerStep, ctx: StepContext): StepResult {
  const question = renderTemplate(step.question, ctx.vars).trim();
  if (question === '') return unsure(step, ctx);
  const decision = ctx.understood?.decision;
  const asked = typeof ctx.vars.last_message === 'string' && question === ctx.vars.last_message.trim();
  const understood = decision && asked && decision.kind !== 'flow'
    ? { article: decision.kind === 'knowledge' ? decision.article : null, confidence: decision.confidence, ...(decision.kind === 'knowledge' && decision.passage ? { passage: decision.passage } : {}), ...nearestOf(ctx.understood!) }
    : undefined;
  // A follow-up ("and the Pulse Mini?") is answered as the question it was understood as.
  const asking = understood && ctx.understood?.query ? ctx.understood.query : question;
  return { actions: [], next: { kind: 'effect', request: { kind: 'answer', question: asking, ...(understood ? { understood } : {}) } } };
}

/** For a decline, the article ranked closest: the gap it leaves is recorded beside it. */
function nearestOf(understood: NonNullable<StepContext['understood']>): { nearest?: string } {
  if (understood.decision.kind !== 'decline') return {};
  const nearest = understood.candidates.find((c) => c.kind === 'knowledge');
  return nearest ? { nearest: nearest.id } : {};
}

/**
 * Says a confident answer (as the knowledge base wrote it, never templated) with one "Source: <title>" line per
 * article, or stores it in `save`; anything less confident takes `on_unsure`.
 */
export function resumeAnswer(step: AnswerStep, result: EffectResult, ctx: StepContext): StepResult {
  // Without its own threshold a step takes the knowledge base's decision: it declines below the one threshold.
  const threshold = step.minConfidence ?? 0;
  if (result.kind !== 'answer' || result.answer === null || result.answer.trim() === '' || !(result.confidence >= threshold)) {
    return unsure(step, ctx);
  }
  if (step.save) return { actions: [], vars: { ...ctx.vars, [step.save]: result.answer }, next: CONTINUE };
  const label = textFor(ctx, BUILT_IN_TEXTS.source);
  const sources = [...new Set(result.sources)].map((title) => `${label}: ${title}`);
  const text = sources.length > 0 ? `${result.answer}\n\n${sources.join('\n')}` : result.answer;
  const offers = [offeredFlowButton(ctx), secondQuestionButton(ctx)].filter((b) => b !== undefined);
  const second = ctx.understood?.second;
  // The second question is kept, so that its button, once pressed, answers it rather than its article's title.
  const vars = second ? { vars: { ...ctx.vars, [ASKED_VAR]: second.question } } : {};
  return { actions: [{ type: 'say', message: { text, ...(offers.length > 0 ? { buttons: offers } : {}) } }], ...vars, next: CONTINUE };
}

function unsure(step: AnswerStep, ctx: StepContext): StepResult {
  const closest = closestOffers(ctx);
  if (closest.length > 0) {
    const buttons = [...closest, { title: BUILT_IN_TEXTS.personButton, payload: BUILT_IN_PAYLOADS.person }];
    // Kept so that an offered article, once pressed, answers this question rather than its own title.
    const asked = typeof ctx.vars.last_message === 'string' ? ctx.vars.last_message : '';
    return { actions: [sayAction(BUILT_IN_TEXTS.closest, buttons, ctx)], vars: { ...ctx.vars, [ASKED_VAR]: asked }, next: { kind: 'stop' } };
  }
  if (step.onUnsure) return { actions: [], next: { kind: 'jump', target: step.onUnsure } };
  const buttons = [
    { title: BUILT_IN_TEXTS.rephraseButton, payload: BUILT_IN_PAYLOADS.rephrase },
    { title: BUILT_IN_TEXTS.personButton, payload: BUILT_IN_PAYLOADS.person },
  ];
  return { actions: [sayAction(BUILT_IN_TEXTS.unsure, buttons, ctx)], next: { kind: 'stop' } };
}

/** Buttons for the understanding step's closest candidates (at most three) when it was not sure. */
function closestOffers(ctx: StepContext): Array<{ title: string; payload: string }> {
  const understood = ctx.understood;
  // Nothing came close ("purple elephants"): the flow's own "not sure" (its menu) serves better than far-off guesses.
  if (!understood || understood.decision.kind !== 'decline') return [];
  if (understood.decision.confidence < OFFER_FLOOR && !understood.decision.namesSubject) return [];
  return understood.candidates.slice(0, 3).map((c) => ({ title: c.title, payload: c.kind === 'flow' ? c.id : `${ARTICLE_PAYLOAD}${c.id}` }));
}

/** A second question in the same message, offered under the first one's answer. */
function secondQuestionButton(ctx: StepContext): { title: string; payload: string } | undefined {
  const second = ctx.understood?.second;
  if (!second) return undefined;
  const { candidate } = second;
  return { title: candidate.title, payload: candidate.kind === 'flow' ? candidate.id : `${ARTICLE_PAYLOAD}${candidate.id}` };
}

/** A flow the message also fits, offered under the answer ("I want to return something": the policy, and [Returns]). */
function offeredFlowButton(ctx: StepContext): { title: string; payload: string } | undefined {
  const decision = ctx.understood?.decision;
  if (decision?.kind !== 'knowledge' || !decision.offerFlow) return undefined;
  const flow = decision.offerFlow;
  // Offered only under the title it is ranked with, so a button never shows a flow's bare name.
  const title = ctx.understood!.candidates.find((c) => c.kind === 'flow' && c.id === flow)?.title;
  return title ? { title, payload: flow } : undefined;
}
