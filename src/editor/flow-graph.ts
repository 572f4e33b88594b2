/**
 * The steps of every flow as one graph: an edge for each way a step can go on (its next step, a branch, a
 * jump within the flow or to another flow's first step). Built once per check from the compiled flows; nodes are
 * numbered so the checks can keep their marks in plain arrays.
 */
import type { Flow, Step } from '../engine/model.ts';
import { stepFacts, type Exit, type StepFacts } from './step-facts.ts';

export interface StepNode {
  /** Position in `FlowGraph.nodes`. */
  index: number;
  flow: Flow;
  step: Step;
  facts: StepFacts;
  /** Where the step can go next; jumps to steps or flows that do not exist are left out (the loader reports them). */
  edges: Edge[];
}

export interface Edge {
  to: StepNode;
  exit: Exit;
  /** The edge leaves the flow for another one. */
  crossFlow: boolean;
}

export class FlowGraph {
  readonly nodes: StepNode[] = [];
  private readonly byFlow = new Map<string, { steps: StepNode[]; byId: Map<string, StepNode> }>();

  constructor(readonly flows: ReadonlyMap<string, Flow>) {
    for (const flow of flows.values()) {
      const steps: StepNode[] = [];
      const byId = new Map<string, StepNode>();
      for (const step of flow.steps.values()) {
        const node: StepNode = { index: this.nodes.length, flow, step, facts: stepFacts(step), edges: [] };
        this.nodes.push(node);
        steps.push(node);
        byId.set(step.id, node);
      }
      this.byFlow.set(flow.name, { steps, byId });
    }
    for (const node of this.nodes) {
      const own = this.byFlow.get(node.flow.name)!.byId;
      for (const exit of node.facts.exits) {
        let to: StepNode | undefined;
        if (exit.to === 'next') to = node.step.next === undefined ? undefined : own.get(node.step.next);
        else if ('step' in exit.to) to = own.get(exit.to.step);
        else to = this.entry(exit.to.flow);
        if (to) node.edges.push({ to, exit, crossFlow: to.flow !== node.flow });
      }
    }
  }

  /** The flow's first step, when the flow exists. */
  entry(flowName: string): StepNode | undefined {
    const flow = this.flows.get(flowName);
    return flow ? this.byFlow.get(flowName)?.byId.get(flow.entry) : undefined;
  }

  /** The steps of one flow, in the order the engine placed them. */
  stepsOf(flow: Flow): readonly StepNode[] {
    return this.byFlow.get(flow.name)?.steps ?? [];
  }
}
