/**
 * One turn of a conversation. Pure: no I/O, clock or randomness, and the inputs are never mutated; the same
 * flows, state and input always give the same result.
 *
 * What the customer's input does, in order:
 * 1. `event: 'start'` runs the `start: true` flow; `effect` resumes the step that asked for it (see below).
 * 2. A typed "2" or a button's title resolves to that button's payload when the last message offered buttons.
 *    The engine's own buttons (`#rephrase`, `#person`, offered when an answer step is unsure) are handled here.
 * 3. While an ask waits, the input is its answer, except:
 *    - a pressed button that is not one of the ask's own and starts a flow switches to that flow;
 *    - a message that is exactly a keyword of an `interrupts: true` flow ("menu", "agent") switches to it;
 *    - free text is judged by digression.ts: a choice answered in other words answers it; a question the knowledge
 *      base or another flow answers with high confidence is answered on the side (the fallback flow's answer step
 *      alone, or the other flow), and then the ask is asked again with its wrong answers so far unchanged, unless
 *      the other flow waits on a question of its own or hands over (it replaced the ask); "I don't know" takes the
 *      ask's way out (steps/ask-again.ts). While such an answer waits for its effect, `state.resume` holds the ask.
 * 4. Otherwise a payload that starts a flow (its name or `triggers.payloads`) starts it; then free text is
 *    decided by the understanding step (`input.understood`, src/understanding) or, without it, matched against
 *    triggers (triggers.ts); then the `fallback: true` flow; then a built-in apology.
 *
 * Flows that changed under a conversation (a reload): when the ask it waits on no longer exists, a message that
 * starts a flow starts it, and any other message moves the conversation to the start of the flow it was in (a
 * safe point), so it is never left on a missing step. An ask that still exists keeps waiting.
 *
 * Effects: a `call` or `answer` step stops the run and returns `{ type: 'effect', request }` as the last action,
 * with the step in `state.pendingEffect`; `runTurn(flows, state, { effect: result })` continues from that step.
 *
 * Steps run until an ask waits, an effect is needed or the flow ends. A run does at most MAX_STEPS_PER_TURN
 * steps: past that (a loop of jumps in the flows) everything the run produced is dropped, the customer gets one
 * apology, and the conversation goes idle with the variables it had before.
 *
 * Reserved variables: `locale` mirrors `state.locale` (so `set: { locale: de }` switches the language);
 * `last_message` is the text of this turn's message; it is kept in the state only while an effect is pending.
 * `person_available` / `person_later`, when the caller gives them (src/hours/person-available.ts): with both false the
 * engine's own "Talk to a person" button says nobody can take the conversation instead of handing over.
 */
import type { Button } from '../core/message.ts';
import { DEFAULT_LOCALE } from './localize.ts';
import type { Understood } from '../core/understanding.ts';
import { ARTICLE_PAYLOAD, BUILT_IN_PAYLOADS, BUILT_IN_TEXTS, LAST_QUESTION_VAR } from './messages.ts';
import type { AskStep, Flow, FlowSet, Step } from './model.ts';
import { ASKED_VAR } from './steps/answer.ts';
import { judgeAnswer } from './digression.ts';
import { answerAsk } from './steps/ask.ts';
import { answerUnknown, repeatAsk } from './steps/ask-again.ts';
import { executeStep, resumeStep } from './steps/index.ts';
import type { StepContext, StepResult } from './steps/result.ts';
import { sayAction } from './steps/say.ts';
import { sameText } from './text.ts';
import { isExactKeyword, matchTrigger } from './triggers.ts';
import type { ConversationState, EngineAction, Resume, TurnInput, TurnResult, VarValue } from './types.ts';

export const MAX_STEPS_PER_TURN = 100;

/** Why a conversation was handed over after the engine's own "Talk to a person" button. */
export const PERSON_BUTTON_REASON = 'customer asked for a person after the bot was unsure';

export function initialState(): ConversationState {
  return { vars: {} };
}

type Vars = Record<string, VarValue>;
type Position = { flow: string; step: string } & ({ attempts: number } | { effect: true });

export function runTurn(flows: FlowSet, state: ConversationState, input: TurnInput): TurnResult {
  const vars: Vars = startVars(state);
  const understood = input.understood;
  const start = (name: string) => drive(flows, state, name, undefined, undefined, vars, understood);
  if (input.effect) return state.resume ? resumeAside(flows, state, input, vars, state.resume) : resume(flows, state, input, vars);
  vars.last_message = (input.text ?? '').trim();
  // The language the customer writes in is followed, whatever the browser said (a message with no telling words keeps it).
  if (understood?.language && input.payload === undefined) vars.locale = understood.language;

  if (input.event === 'start') {
    return flows.startFlow ? start(flows.startFlow) : settle(flows, state, vars, []);
  }
  const text = input.text ?? '';
  const chosen = input.payload ?? resolveOffered(text, state.offered ?? []);
  const builtIn = chosen === undefined ? undefined : builtInButton(flows, state, chosen, vars);
  if (builtIn) return builtIn;

  const waiting = awaitedAsk(flows, state);
  if (waiting) {
    const ownButton = chosen !== undefined && (waiting.step.buttons ?? []).some((b) => b.payload === chosen);
    const pressed = !ownButton && input.payload !== undefined ? flows.payloads.get(input.payload) : undefined;
    if (pressed) return start(pressed);
    const escape = chosen === undefined ? interruptingFlow(flows, text) : undefined;
    if (escape) return start(escape);
    if (chosen === undefined) return answerWaiting(flows, state, waiting, text, vars, understood);
    const answered = answerAsk(waiting.step, chosen, waiting.attempts, context(waiting.flow, vars));
    return drive(flows, state, waiting.flow.name, waiting.step.id, answered, vars);
  }

  const byPayload = chosen === undefined ? undefined : flows.payloads.get(chosen);
  if (byPayload) return start(byPayload);
  const offeredArticle = chosen?.startsWith(ARTICLE_PAYLOAD) ? chosen.slice(ARTICLE_PAYLOAD.length) : undefined;
  if (offeredArticle) return answerFromArticle(flows, state, vars, offeredArticle);
  if (understood && chosen === undefined && text.trim() !== '') return decided(flows, state, vars, understood);
  const matched = text.trim() === '' ? undefined : matchTrigger(flows.flows.values(), text);
  if (matched) return start(matched);
  const lost = state.awaiting ? flows.flows.get(state.awaiting.flow) : undefined;
  if (lost) return start(lost.name);
  return fallback(flows, state, vars);
}

/**
 * Free text the understanding step decided on: its flow, or the fallback flow, whose answer step then answers from
 * the chosen article (or, when the step was not sure, offers the closest candidates).
 */
function decided(flows: FlowSet, state: ConversationState, vars: Vars, understood: Understood): TurnResult {
  const { decision } = understood;
  if (decision.kind === 'flow' && flows.flows.has(decision.flow)) return drive(flows, state, decision.flow, undefined, undefined, vars, understood);
  // A question declined is still the one a follow-up leaves its subject out of ("is the Wave 700 waterproof?" then
  // "and the Pulse Mini?").
  const asked: Vars = typeof vars.last_message === 'string' ? { [LAST_QUESTION_VAR]: vars.last_message } : {};
  return fallback(flows, state, { ...vars, ...asked }, understood);
}

/**
 * An article the bot offered was pressed: the fallback's answer step answers the question asked before from it,
 * as if the understanding step had chosen it.
 */
function answerFromArticle(flows: FlowSet, state: ConversationState, vars: Vars, article: string): TurnResult {
  const kept = state.vars[ASKED_VAR];
  const question = typeof kept === 'string' && kept !== '' ? kept : article;
  const understood: Understood = { decision: { kind: 'knowledge', article, confidence: 1 }, candidates: [], why: 'the customer chose this article' };
  return fallback(flows, state, { ...vars, last_message: question }, understood);
}

/** The `fallback: true` flow, or the built-in apology when there is none. */
function fallback(flows: FlowSet, state: ConversationState, vars: Vars, understood?: Understood): TurnResult {
  if (flows.fallbackFlow) return drive(flows, state, flows.fallbackFlow, undefined, undefined, vars, understood);
  return settle(flows, state, vars, [sayAction(BUILT_IN_TEXTS.didNotCatch, undefined, context(undefined, vars))]);
}

/** Continues the step that asked for an effect; when the flows changed and it is gone, restarts its flow. */
function resume(flows: FlowSet, state: ConversationState, input: TurnInput, vars: Vars): TurnResult {
  const pending = state.pendingEffect;
  const flow = pending ? flows.flows.get(pending.flow) : undefined;
  if (!pending || !flow || !input.effect) return settle(flows, state, vars, []);
  const step = flow.steps.get(pending.step);
  const resumed = step ? resumeStep(step, input.effect, context(flow, vars, input.understood)) : undefined;
  if (!step || !resumed) return drive(flows, state, flow.name, undefined, undefined, vars, input.understood);
  return drive(flows, state, flow.name, step.id, resumed, vars, input.understood);
}

type Waiting = { flow: Flow; step: AskStep; attempts: number };

/** Free text while an ask waits: its answer, "I don't know", or a question asked on the side (digression.ts). */
function answerWaiting(flows: FlowSet, state: ConversationState, waiting: Waiting, text: string, vars: Vars, understood?: Understood): TurnResult {
  const { flow, step, attempts } = waiting;
  const verdict = judgeAnswer(flows, flow, step, text, understood);
  const here = context(flow, vars, understood);
  if (verdict.kind === 'answer') return drive(flows, state, flow.name, step.id, answerAsk(step, verdict.value, attempts, here), vars);
  if (verdict.kind === 'unknown') return drive(flows, state, flow.name, step.id, answerUnknown(step, attempts, here), vars);
  const back: Resume = { flow: flow.name, step: step.id, attempts, via: verdict.via };
  const from = verdict.via === 'answer' ? verdict.step : undefined;
  return backToAsk(flows, drive(flows, state, verdict.flow, from, undefined, vars, understood), back);
}

/**
 * A digression's answer came back from its effect. Another flow simply goes on; the knowledge base's answer is said
 * alone (the fallback flow's other steps are for a conversation that had nothing else going on), or, when it was
 * not sure after all, a short apology; then the ask again.
 */
function resumeAside(flows: FlowSet, state: ConversationState, input: TurnInput, vars: Vars, back: Resume): TurnResult {
  if (back.via === 'flow') return backToAsk(flows, resume(flows, state, input, vars), back);
  const pending = state.pendingEffect && 'step' in state.pendingEffect ? state.pendingEffect : undefined;
  const flow = pending ? flows.flows.get(pending.flow) : undefined;
  const step = pending ? flow?.steps.get(pending.step) : undefined;
  const ctx = context(flow, vars, input.understood ? withoutOffers(input.understood) : undefined);
  const answered = step && input.effect ? resumeStep(step, input.effect, ctx) : undefined;
  const said = answered?.next.kind === 'continue' ? answered.actions : [sayAction(BUILT_IN_TEXTS.asideUnsure, undefined, ctx)];
  return backToAsk(flows, settle(flows, state, answered?.vars ?? vars, said), back);
}

/** A digression's answer offers nothing beside it: the customer is inside a flow, whose question comes next. */
function withoutOffers(understood: Understood): Understood {
  const { second: _second, ...rest } = understood;
  const { decision } = understood;
  return { ...rest, decision: decision.kind === 'knowledge' ? { kind: 'knowledge', article: decision.article, confidence: decision.confidence } : decision };
}

/**
 * After a digression's run: still waiting for an effect, it keeps `resume`; waiting on an ask of its own or handed
 * over, it replaced the ask; otherwise (it said its piece and ended) the ask is asked again, as it was.
 */
function backToAsk(flows: FlowSet, result: TurnResult, back: Resume): TurnResult {
  if (result.state.pendingEffect) return { ...result, state: { ...result.state, resume: back } };
  const flow = flows.flows.get(back.flow);
  const step = flow?.steps.get(back.step);
  const replaced = result.state.awaiting !== undefined || result.actions.some((action) => action.type === 'handoff');
  if (replaced || !flow || step?.kind !== 'ask') return result;
  const vars = startVars(result.state);
  const again = drive(flows, result.state, flow.name, step.id, repeatAsk(step, back.attempts, context(flow, vars)), vars);
  return { state: again.state, actions: [...result.actions.filter((action) => action.type !== 'end'), ...again.actions] };
}

/** The engine's own buttons, offered when an answer step is unsure and has no `on_unsure`. */
function builtInButton(flows: FlowSet, state: ConversationState, payload: string, vars: Vars): TurnResult | undefined {
  const ctx = context(undefined, vars);
  if (payload === BUILT_IN_PAYLOADS.rephrase) return settle(flows, state, vars, [sayAction(BUILT_IN_TEXTS.rephrase, undefined, ctx)]);
  if (payload !== BUILT_IN_PAYLOADS.person) return undefined;
  // Parley says whether anyone can take it (person_available, person_later); with nobody, no colleague is promised.
  if (vars.person_available === false && vars.person_later !== true) return settle(flows, state, vars, [sayAction(BUILT_IN_TEXTS.noPerson, undefined, ctx)]);
  return settle(flows, state, vars, [sayAction(BUILT_IN_TEXTS.handingOff, undefined, ctx), { type: 'handoff', reason: PERSON_BUTTON_REASON }]);
}

/** The variables a turn starts from: the stored ones, and the conversation's locale as `locale`. */
function startVars(state: ConversationState): Vars {
  return { ...state.vars, ...(state.locale ? { locale: state.locale } : {}) };
}

function context(flow: Flow | undefined, vars: Vars, understood?: Understood): StepContext {
  return { vars, defaultLocale: flow?.defaultLocale ?? DEFAULT_LOCALE, ...(understood ? { understood } : {}) };
}

/** A typed "2" or a button's title, when the last message offered buttons (the understanding step asks too). */
export function resolveOffered(text: string, offered: readonly Button[]): string | undefined {
  const answer = text.trim();
  if (/^\d+$/.test(answer)) return offered[Number(answer) - 1]?.payload;
  return offered.find((button) => sameText(button.title, answer))?.payload;
}

/** The ask the conversation waits on, unless the flows changed under it so that it no longer exists. */
function awaitedAsk(flows: FlowSet, state: ConversationState): Waiting | undefined {
  const awaiting = state.awaiting;
  const flow = awaiting ? flows.flows.get(awaiting.flow) : undefined;
  const step = awaiting ? flow?.steps.get(awaiting.step) : undefined;
  if (!awaiting || !flow || step?.kind !== 'ask') return undefined;
  return { flow, step, attempts: awaiting.attempts };
}

function interruptingFlow(flows: FlowSet, text: string): string | undefined {
  for (const flow of flows.flows.values()) if (flow.interrupts && isExactKeyword(flow, text)) return flow.name;
  return undefined;
}

/**
 * Runs a flow from `stepId` (its entry when undefined), or, when `pending` is given, first applies the
 * result that step already produced (an answered ask, a resumed effect).
 */
function drive(flows: FlowSet, before: ConversationState, flowName: string, stepId: string | undefined,
  pending: StepResult | undefined, vars: Vars, understood?: Understood): TurnResult {
  let flow = flows.flows.get(flowName)!;
  let current = stepId ?? flow.entry;
  let result = pending;
  const actions: EngineAction[] = [];
  for (let executed = 0; ; ) {
    const step: Step = flow.steps.get(current)!;
    if (!result) {
      executed += 1;
      if (executed > MAX_STEPS_PER_TURN) {
        const restored = startVars(before);
        return settle(flows, before, restored, [sayAction(BUILT_IN_TEXTS.loop, undefined, context(undefined, restored))]);
      }
      result = executeStep(step, context(flow, vars, understood));
    }
    if (result.vars) vars = result.vars;
    actions.push(...result.actions);
    const next = result.next;
    result = undefined;
    const here = { flow: flow.name, step: step.id };
    if (next.kind === 'wait') return settle(flows, before, vars, actions, { ...here, attempts: next.attempts });
    if (next.kind === 'effect') {
      actions.push({ type: 'effect', request: next.request });
      return settle(flows, before, vars, actions, { ...here, effect: true });
    }
    if (next.kind === 'stop') return settle(flows, before, vars, actions);
    let following = step.next;
    if (next.kind === 'jump') {
      if ('flow' in next.target) {
        flow = flows.flows.get(next.target.flow)!;
        current = flow.entry;
        continue;
      }
      following = next.target.step;
    }
    if (following === undefined) {
      actions.push({ type: 'end' });
      return settle(flows, before, vars, actions);
    }
    current = following;
  }
}

/**
 * The state after a run: waiting on an ask, on an effect, or idle; buttons on screen are those of the last
 * message; `locale` moves out of the variables into `state.locale`.
 */
function settle(flows: FlowSet, before: ConversationState, vars: Vars, actions: EngineAction[], at?: Position): TurnResult {
  const said = actions.filter((action) => action.type === 'say');
  const offered = said.at(-1) ? said.at(-1)!.message.buttons : before.offered;
  const { locale, last_message: lastMessage, ...kept } = vars;
  const effect = at !== undefined && 'effect' in at;
  const state: ConversationState = {
    ...(at ? { flow: at.flow, step: at.step } : {}),
    ...(at && 'attempts' in at ? { awaiting: { flow: at.flow, step: at.step, attempts: at.attempts } } : {}),
    ...(effect ? { pendingEffect: { flow: at.flow, step: at.step } } : {}),
    vars: effect && lastMessage !== undefined ? { ...kept, last_message: lastMessage } : kept,
    ...(offered && offered.length > 0 ? { offered: offered.map((b) => ({ ...b })) } : {}),
    flowVersion: flows.version,
    ...(typeof locale === 'string' && locale !== '' ? { locale } : {}),
  };
  return { state, actions };
}
