/**
 * Loops that can repeat without waiting for the customer: a cycle of steps (across flows too) with no ask in
 * it. At run time the engine stops such a turn after MAX_STEPS_PER_TURN steps and apologises, so it is an error.
 * A loop through an ask is fine: every round waits for an answer.
 */
import { MAX_STEPS_PER_TURN } from '../../engine/runner.ts';
import type { FlowGraph, StepNode } from '../flow-graph.ts';
import type { Check, Finding } from './finding.ts';

export const checkLoops: Check = ({ graph, locate }) => {
  const findings: Finding[] = [];
  for (const component of cycles(graph)) {
    // Point at a step that jumps back (a goto or a branch), which is where an editor would break the loop.
    const jumper = component.find((node) => node.edges.some((e) => e.exit.to !== 'next' && component.includes(e.to))) ?? component[0]!;
    const places = component.map((node) => locate(node.flow.name, { step: node.step.id }))
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    const files = [...new Set(places.map((p) => p.file))];
    const linesIn = (file: string) => [...new Set(places.filter((p) => p.file === file).map((p) => p.line))];
    const route = files.length === 1
      ? `the steps on line${linesIn(files[0]!).length > 1 ? 's' : ''} ${linesIn(files[0]!).join(', ')}`
      : `the steps at ${files.map((file) => `${file} line${linesIn(file).length > 1 ? 's' : ''} ${linesIn(file).join(', ')}`).join(' and ')}`;
    findings.push({
      severity: 'error', flow: jumper.flow.name, place: { step: jumper.step.id },
      message: `${route} can loop forever without asking the customer anything. ` +
        `Put an ask in the loop or make it end (the engine gives up after ${MAX_STEPS_PER_TURN} steps in one turn)`,
    });
  }
  return findings;
};

/** Strongly connected components that contain a cycle, over the edges a turn can follow without waiting (Tarjan). */
function cycles(graph: FlowGraph): StepNode[][] {
  const next = (node: StepNode) => (node.facts.waits ? [] : node.edges.map((edge) => edge.to));
  const count = graph.nodes.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: StepNode[] = [];
  const found: StepNode[][] = [];
  let counter = 0;

  for (const root of graph.nodes) {
    if (index[root.index] !== -1) continue;
    const work: { node: StepNode; successors: StepNode[]; i: number }[] = [];
    const enter = (node: StepNode) => {
      index[node.index] = low[node.index] = counter++;
      stack.push(node);
      onStack[node.index] = 1;
      work.push({ node, successors: next(node), i: 0 });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const at = frame.node.index;
      if (frame.i < frame.successors.length) {
        const to = frame.successors[frame.i++]!;
        if (index[to.index] === -1) enter(to);
        else if (onStack[to.index]) low[at] = Math.min(low[at]!, index[to.index]!);
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low[parent.node.index] = Math.min(low[parent.node.index]!, low[at]!);
      if (low[at] !== index[at]) continue;
      const component: StepNode[] = [];
      for (;;) {
        const member = stack.pop()!;
        onStack[member.index] = 0;
        component.push(member);
        if (member === frame.node) break;
      }
      const selfLoop = component.length === 1 && next(frame.node).includes(frame.node);
      if (component.length > 1 || selfLoop) found.push(component.reverse());
    }
  }
  return found;
}
