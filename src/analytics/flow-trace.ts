/**
 * Which flows and steps a turn ran in. The engine is pure and keeps no trace, and a flow that starts and finishes in
 * one turn (the greeting, opening hours) leaves no position in the state; so the run is given a flow set that notes
 * every flow the engine looks up by name (the flows it starts, resumes, jumps to, and the one whose question was
 * waiting) and every step it looks up in them (the steps it runs, and the question being answered).
 */
import type { Flow, FlowSet, Step } from '../engine/model.ts';
import { runTurn } from '../engine/index.ts';
import type { ConversationState, TurnInput, TurnResult } from '../engine/types.ts';

/** The flow set's flows, noting each one looked up by name and handing it out with steps that note theirs. */
class NotingFlows extends Map<string, Flow> {
  readonly noted: string[] = [];
  private readonly traced = new Map<string, Flow>();

  constructor(flows: ReadonlyMap<string, Flow>, private readonly steps: Map<string, Step['kind']>) {
    super(flows);
  }

  override get(name: string): Flow | undefined {
    const flow = super.get(name);
    if (!flow) return undefined;
    if (!this.noted.includes(name)) this.noted.push(name);
    const traced = this.traced.get(name) ?? { ...flow, steps: new NotingSteps(name, flow.steps, this.steps) };
    this.traced.set(name, traced);
    return traced;
  }
}

/** A flow's steps that note each one looked up into the turn's list, as `flow:step`, in the order of the run. */
class NotingSteps extends Map<string, Step> {
  constructor(private readonly flow: string, steps: ReadonlyMap<string, Step>, private readonly noted: Map<string, Step['kind']>) {
    super(steps);
  }

  override get(id: string): Step | undefined {
    const step = super.get(id);
    if (step && !this.noted.has(stepKey(this.flow, id))) this.noted.set(stepKey(this.flow, id), step.kind);
    return step;
  }
}

/** A step as analytics stores it: `flow:step` (a flow's name has no colon). */
export function stepKey(flow: string, step: string): string {
  return `${flow}:${step}`;
}

export interface TracedTurn {
  /** The flows the run looked up, in order. */
  flows: string[];
  /** The steps it looked up, in order, as `flow:step`. */
  steps: string[];
  /** The `handoff` step that handed the conversation over, as `flow:step`; absent when no step did. */
  handoffStep?: string;
}

/** Runs the engine once, as `runTurn` does, and names the flows and steps it ran in. */
export function runTurnTraced(flows: FlowSet, state: ConversationState, input: TurnInput): TurnResult & TracedTurn {
  const noted = new Map<string, Step['kind']>();
  const noting = new NotingFlows(flows.flows, noted);
  const result = runTurn({ ...flows, flows: noting }, state, input);
  const steps = [...noted.keys()];
  const handedOver = result.actions.some((action) => action.type === 'handoff');
  const handoffStep = handedOver ? steps.filter((key) => noted.get(key) === 'handoff').at(-1) : undefined;
  return { ...result, flows: noting.noted, steps, ...(handoffStep ? { handoffStep } : {}) };
}
