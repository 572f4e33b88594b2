/**
 * Steps that can never run (after an `end`, a `goto` or a handoff, with nothing jumping to them), and flows
 * that can never start (no trigger, no button and no goto leads to them).
 */
import type { StepNode } from '../flow-graph.ts';
import type { Check, Finding } from './finding.ts';

export const checkReachability: Check = ({ graph }) => {
  const findings: Finding[] = [];
  const entered = new Set<string>();
  const pressed = new Set<string>();
  for (const node of graph.nodes) {
    for (const edge of node.edges) if (edge.crossFlow) entered.add(edge.to.flow.name);
    for (const button of node.facts.buttons) pressed.add(button.payload);
  }

  for (const flow of graph.flows.values()) {
    const t = flow.triggers;
    const triggered = t.start || t.fallback || t.keywords.length + t.examples.length + t.payloads.length > 0;
    const byButton = pressed.has(flow.name) || t.payloads.some((p) => pressed.has(p));
    if (!triggered && !byButton && !entered.has(flow.name)) {
      findings.push({
        severity: 'warning', flow: flow.name, place: { at: ['flow'] },
        message: `flow '${flow.name}' can never start: it has no triggers, and no button or goto leads to it`,
      });
    }

    const steps = graph.stepsOf(flow);
    const reached = new Set<StepNode>();
    const entry = graph.entry(flow.name);
    const queue: StepNode[] = entry ? [entry] : [];
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (reached.has(node)) continue;
      reached.add(node);
      for (const edge of node.edges) if (!edge.crossFlow) queue.push(edge.to);
    }
    if (reached.size === steps.length) continue;
    // Report only where an unreachable stretch begins: the steps after it are unreachable for the same reason.
    const unreached = steps.filter((node) => !reached.has(node));
    const fed = new Set(unreached.flatMap((node) => node.edges.filter((e) => !e.crossFlow && e.to !== node).map((e) => e.to)));
    const covered = new Set<StepNode>();
    const cover = (node: StepNode) => {
      if (covered.has(node) || reached.has(node)) return;
      covered.add(node);
      for (const edge of node.edges) if (!edge.crossFlow) cover(edge.to);
    };
    const roots = [...unreached.filter((node) => !fed.has(node)), ...unreached];
    for (const node of roots) {
      if (covered.has(node)) continue;
      cover(node);
      findings.push({
        severity: 'warning', flow: flow.name, place: { step: node.step.id },
        message: `this ${node.step.kind} step can never run: no step leads to it (it comes after an end, a goto or a handoff, and nothing jumps here)`,
      });
    }
  }
  return findings;
};
