/**
 * One turn of a conversation. Pure: no I/O, clock or randomness, and the inputs are never mutated; the same
 * flows, state and input always give the same result.
 *
 * What the customer's input does, in order:
 * 1. `event: 'start'` runs the `start: true` flow.
 * 2. A typed "2" or a button's title resolves to that button's payload when the last message offered buttons.
 * 3. While an ask waits, the input is its answer, except:
 *    - a pressed button that is not one of the ask's own and starts a flow switches to that flow;
 *    - a message that is exactly a keyword of an `interrupts: true` flow ("menu", "agent") switches to it.
 * 4. Otherwise a payload that starts a flow (its name or `triggers.payloads`) starts it; then free text is
 *    matched against triggers (triggers.ts); then the `fallback: true` flow; then a built-in apology.
 *
 * Steps run until an ask waits or the flow ends. A turn runs at most MAX_STEPS_PER_TURN steps: past that
 * (a loop of jumps in the flows) everything the turn produced is dropped, the customer gets one apology,
 * and the conversation goes idle with the variables it had before the turn.
 */
import type { Button } from '../core/message.ts';
import type { AskStep, Flow, FlowSet } from './model.ts';
import { BUILT_IN } from './messages.ts';
import { answerAsk } from './steps/ask.ts';
import { executeStep } from './steps/index.ts';
import type { StepResult } from './steps/result.ts';
import { sayAction } from './steps/say.ts';
import { sameText } from './text.ts';
import { isExactKeyword, matchTrigger } from './triggers.ts';
import type { ConversationState, EngineAction, TurnInput, TurnResult, VarValue } from './types.ts';

export const MAX_STEPS_PER_TURN = 100;

export function initialState(): ConversationState {
  return { vars: {} };
}

type Vars = Record<string, VarValue>;

export function runTurn(flows: FlowSet, state: ConversationState, input: TurnInput): TurnResult {
  const vars: Vars = { ...state.vars };
  const start = (name: string) => drive(flows, state, name, undefined, undefined, vars);

  if (input.event === 'start') {
    return flows.startFlow ? start(flows.startFlow) : settle(flows, state, vars, [], undefined);
  }
  const text = input.text ?? '';
  const chosen = input.payload ?? resolveOffered(text, state.offered ?? []);

  const waiting = awaitedAsk(flows, state);
  if (waiting) {
    const ownButton = chosen !== undefined && (waiting.step.buttons ?? []).some((b) => b.payload === chosen);
    const pressed = !ownButton && input.payload !== undefined ? flows.payloads.get(input.payload) : undefined;
    if (pressed) return start(pressed);
    const escape = chosen === undefined ? interruptingFlow(flows, text) : undefined;
    if (escape) return start(escape);
    const answered = answerAsk(waiting.step, chosen ?? text, waiting.attempts, { vars });
    return drive(flows, state, waiting.flow.name, waiting.step.id, answered, vars);
  }

  const byPayload = chosen === undefined ? undefined : flows.payloads.get(chosen);
  if (byPayload) return start(byPayload);
  const matched = text.trim() === '' ? undefined : matchTrigger(flows.flows.values(), text);
  if (matched) return start(matched);
  if (flows.fallbackFlow) return start(flows.fallbackFlow);
  return settle(flows, state, vars, [sayAction(BUILT_IN.didNotCatch, undefined, vars)], undefined);
}

/** A typed "2" or a button's title, when the last message offered buttons. */
function resolveOffered(text: string, offered: readonly Button[]): string | undefined {
  const answer = text.trim();
  if (/^\d+$/.test(answer)) return offered[Number(answer) - 1]?.payload;
  return offered.find((button) => sameText(button.title, answer))?.payload;
}

/** The ask the conversation waits on, unless the flows changed under it so that it no longer exists. */
function awaitedAsk(flows: FlowSet, state: ConversationState): { flow: Flow; step: AskStep; attempts: number } | undefined {
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
 * result that step already produced (an answered ask).
 */
function drive(flows: FlowSet, before: ConversationState, flowName: string, stepId: string | undefined,
  pending: StepResult | undefined, vars: Vars): TurnResult {
  let flow = flows.flows.get(flowName)!;
  let current = stepId ?? flow.entry;
  let result = pending;
  const actions: EngineAction[] = [];
  for (let executed = 0; ; ) {
    const step = flow.steps.get(current)!;
    if (!result) {
      executed += 1;
      if (executed > MAX_STEPS_PER_TURN) {
        return settle(flows, before, { ...before.vars }, [sayAction(BUILT_IN.loop, undefined, {})], undefined);
      }
      result = executeStep(step, { vars });
    }
    if (result.vars) vars = result.vars;
    actions.push(...result.actions);
    const next = result.next;
    result = undefined;
    if (next.kind === 'wait') return settle(flows, before, vars, actions, { flow: flow.name, step: step.id, attempts: next.attempts });
    if (next.kind === 'stop') return settle(flows, before, vars, actions, undefined);
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
      return settle(flows, before, vars, actions, undefined);
    }
    current = following;
  }
}

/** The state after a turn: waiting on an ask, or idle; buttons on screen are those of the last message. */
function settle(flows: FlowSet, before: ConversationState, vars: Vars, actions: EngineAction[],
  awaiting: { flow: string; step: string; attempts: number } | undefined): TurnResult {
  const said = actions.filter((action) => action.type === 'say');
  const last = said.at(-1);
  const offered = last ? last.message.buttons : before.offered;
  const state: ConversationState = {
    ...(awaiting ? { flow: awaiting.flow, step: awaiting.step, awaiting } : {}),
    vars,
    ...(offered && offered.length > 0 ? { offered: offered.map((b) => ({ ...b })) } : {}),
    flowVersion: flows.version,
  };
  return { state, actions };
}
