/**
 * The steps of every flow as one graph: an edge for each way a step can go on (its next step, a branch, a
 * jump within the flow or to another flow's first step). Built once per check from the compiled flows.
 */
import type { Flow, Step } from '../engine/model.ts';
import { stepFacts, type Exit, type StepFacts } from './step-facts.ts';

export interface StepNode {
  key: string;
  flow: Flow;
  step: Step;
  facts: StepFacts;
}

export interface Edge {
  to: StepNode;
  exit: Exit;
  /** The edge leaves the flow for another one. */
  crossFlow: boolean;
}

export function nodeKey(flow: string, step: string): string {
  return `${flow}\0${step}`;
}

export class FlowGraph {
  readonly nodes = new Map<string, StepNode>();
  private readonly edges = new Map<string, Edge[]>();

  constructor(readonly flows: ReadonlyMap<string, Flow>) {
    for (const flow of flows.values()) {
      for (const step of flow.steps.values()) {
        const key = nodeKey(flow.name, step.id);
        this.nodes.set(key, { key, flow, step, facts: stepFacts(step) });
      }
    }
  }

  /** The flow's first step, when the flow exists. */
  entry(flowName: string): StepNode | undefined {
    const flow = this.flows.get(flowName);
    return flow ? this.nodes.get(nodeKey(flow.name, flow.entry)) : undefined;
  }

  /** Where a step can go next; jumps to steps or flows that do not exist are left out (the loader reports them). */
  successors(node: StepNode): Edge[] {
    let edges = this.edges.get(node.key);
    if (!edges) {
      edges = node.facts.exits.flatMap((exit): Edge[] => {
        let to: StepNode | undefined;
        if (exit.to === 'next') to = node.step.next === undefined ? undefined : this.nodes.get(nodeKey(node.flow.name, node.step.next));
        else if ('step' in exit.to) to = this.nodes.get(nodeKey(node.flow.name, exit.to.step));
        else to = this.entry(exit.to.flow);
        return to ? [{ to, exit, crossFlow: to.flow !== node.flow }] : [];
      });
      this.edges.set(node.key, edges);
    }
    return edges;
  }

  /** The steps of one flow, in the order the engine placed them. */
  stepsOf(flow: Flow): StepNode[] {
    return [...flow.steps.keys()].map((id) => this.nodes.get(nodeKey(flow.name, id))!);
  }
}
