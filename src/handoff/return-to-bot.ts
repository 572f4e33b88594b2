import type { FlowSet } from '../engine/model.ts';
import { runTurn } from '../engine/runner.ts';
import type { ConversationState, TurnResult } from '../engine/types.ts';

/** The step id a flow may define to be resumed at when a person hands the conversation back. */
export const AFTER_HANDOFF_STEP = 'after_handoff';
/** The payload of the menu, the fallback return point. */
export const MENU_PAYLOAD = 'menu';

const RESUME = '#after-handoff';

/** The state with no flow running: the variables, language and flow version kept. */
export function idleState(state: ConversationState): ConversationState {
  return { vars: state.vars, ...(state.locale ? { locale: state.locale } : {}), ...(state.flowVersion ? { flowVersion: state.flowVersion } : {}) };
}

/**
 * Where the bot picks up after a person resolved a handoff: the `after_handoff` step of the flow the handoff came
 * from, else the menu (the flow started by the `menu` payload), else the start flow. Runs the engine, so the
 * return point's messages are said and an `ask` there waits for its answer.
 */
export function returnToBot(flows: FlowSet, state: ConversationState, flowName: string | undefined): TurnResult {
  const idle = idleState(state);
  const flow = flowName ? flows.flows.get(flowName) : undefined;
  if (flow?.steps.has(AFTER_HANDOFF_STEP)) {
    // The engine starts flows only at their entry: run it on a copy whose entry is the return step.
    const flowsMap = new Map(flows.flows).set(flow.name, { ...flow, entry: AFTER_HANDOFF_STEP });
    const resumed: FlowSet = { ...flows, flows: flowsMap, payloads: new Map(flows.payloads).set(RESUME, flow.name) };
    return runTurn(resumed, idle, { payload: RESUME });
  }
  if (flows.payloads.has(MENU_PAYLOAD)) return runTurn(flows, idle, { payload: MENU_PAYLOAD });
  if (flows.startFlow) return runTurn(flows, idle, { event: 'start' });
  return { state: idle, actions: [] };
}
