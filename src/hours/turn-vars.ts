/**
 * Variables Parley fills for each turn from outside the conversation (the opening hours in words, whether a person
 * can take the conversation): given to the flows for the run, taken out of the state it leaves, so they are never
 * stored and always current.
 */
import type { ConversationState, VarValue } from '../engine/types.ts';

/** Runs a turn with `values(state)` among the variables; a variable the flow set to something else itself is kept. */
export function withTurnVars<R extends { state: ConversationState }>(values: (state: ConversationState) => Record<string, VarValue>,
  run: (state: ConversationState) => R): (state: ConversationState) => R {
  return (state) => {
    const given = values(state);
    const result = run({ ...state, vars: { ...state.vars, ...given } });
    const vars = { ...result.state.vars };
    for (const [name, value] of Object.entries(given)) if (vars[name] === value) delete vars[name];
    return { ...result, state: { ...result.state, vars } };
  };
}
