/**
 * Which flows a turn ran in. The engine is pure and keeps no trace, and a flow that starts and finishes in one turn
 * (the greeting, opening hours) leaves no position in the state; so the run is given a flow set that notes every
 * flow the engine looks up by name: the flows it starts, resumes, jumps to, and the one whose question was waiting.
 */
import type { FlowSet } from '../engine/model.ts';
import { runTurn } from '../engine/index.ts';
import type { ConversationState, TurnInput, TurnResult } from '../engine/types.ts';

class NotingMap<K, V> extends Map<K, V> {
  readonly noted: K[] = [];

  override get(key: K): V | undefined {
    const value = super.get(key);
    if (value !== undefined && !this.noted.includes(key)) this.noted.push(key);
    return value;
  }
}

/** Runs the engine once, as `runTurn` does, and names the flows it ran in. */
export function runTurnTraced(flows: FlowSet, state: ConversationState, input: TurnInput): TurnResult & { flows: string[] } {
  const noting = new NotingMap(flows.flows);
  const result = runTurn({ ...flows, flows: noting }, state, input);
  return { ...result, flows: noting.noted };
}
