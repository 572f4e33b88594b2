/**
 * A whole turn with its effects: runs the engine, and while its last action is an effect, performs it and runs
 * the engine again with the result, concatenating the actions. The engine stays pure; `perform` does the I/O.
 * The turn pipeline commits the outcome once; the CLI simulator and conversation tests use the same loop.
 */
import { localize } from './localize.ts';
import { BUILT_IN_TEXTS } from './messages.ts';
import type { ConversationState, EffectRequest, EffectResult, EngineAction, TurnInput, TurnResult } from './types.ts';

/** Effects one turn may perform; a flow that needs more (a loop through a call) is stopped with an apology. */
export const MAX_EFFECTS_PER_TURN = 5;

/** One run of the engine on whichever flow set is current for the state. */
export type TurnRunner = (state: ConversationState, input: TurnInput) => TurnResult;

/** Performs one effect; a throw is taken as a failed effect. */
export type EffectPerformer = (request: EffectRequest, state: ConversationState) => Promise<EffectResult>;

export async function runWithEffects(run: TurnRunner, state: ConversationState, input: TurnInput, perform: EffectPerformer,
  maxEffects = MAX_EFFECTS_PER_TURN): Promise<TurnResult> {
  let result = run(state, input);
  const actions: EngineAction[] = [...result.actions];
  for (let performed = 0; ; performed += 1) {
    const last = actions.at(-1);
    if (last?.type !== 'effect') return { state: result.state, actions };
    if (performed >= maxEffects) return abandon(result.state, actions);
    const outcome = await perform(last.request, result.state).catch(() => failedEffect(last.request, 'failed'));
    // The turn's understanding goes with each resumption: the step that resumes may need it (an unsure answer offers its candidates).
    result = run(result.state, { effect: outcome, ...(input.understood ? { understood: input.understood } : {}) });
    actions.push(...result.actions);
  }
}

/** The result of an effect that could not be performed. */
export function failedEffect(request: EffectRequest, error: string): EffectResult {
  if (request.kind === 'call') return { kind: 'call', ok: false, error };
  return { kind: 'answer', confidence: 0, answer: null, sources: [] };
}

/** Too many effects: the effect asked for is not performed, the customer gets one apology, the conversation goes idle. */
function abandon(state: ConversationState, actions: EngineAction[]): TurnResult {
  const { flow: _flow, step: _step, pendingEffect: _pending, awaiting: _awaiting, offered: _offered, resume: _resume, ...idle } = state;
  const { last_message: _last, ...vars } = state.vars;
  const apology: EngineAction = { type: 'say', message: { text: localize(BUILT_IN_TEXTS.loop, state.locale) } };
  return { state: { ...idle, vars }, actions: [...actions.slice(0, -1), apology] };
}
