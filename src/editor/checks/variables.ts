/**
 * Variables read (in conditions and {{templates}}) that nothing sets, or that may not be set yet where they
 * are read. "Set before" follows every way into a step, across flows: a flow started by a trigger or a button
 * starts with nothing known; a flow entered by a goto knows what the jumping step's paths set.
 * Reads that only test a variable (`x is set`, a bare `x`) are what tests are for, so they are never "too early".
 */
import { suggest } from '../../engine/describe-issues.ts';
import { OPENING_HOURS_VAR } from '../../hours/hours-placeholder.ts';
import { PERSON_AVAILABLE_VAR, PERSON_LATER_VAR } from '../../hours/person-available.ts';
import type { FlowGraph, StepNode } from '../flow-graph.ts';
import type { Check, Finding } from './finding.ts';

/**
 * Variables Parley keeps itself: the conversation's language, what the customer wrote this turn, whether a person
 * can take the conversation (src/hours/person-available.ts) and the opening hours in words (hours-placeholder.ts).
 */
export const ALWAYS_SET: ReadonlySet<string> = new Set(['locale', 'last_message', PERSON_AVAILABLE_VAR, PERSON_LATER_VAR, OPENING_HOURS_VAR]);

export const checkVariables: Check = ({ graph, varsSetAnywhere }) => {
  const findings: Finding[] = [];
  const known = mustBeSet(graph);
  const setters = new Map<string, Set<string>>();
  for (const node of graph.nodes) {
    for (const name of node.facts.sets) (setters.get(name) ?? setters.set(name, new Set()).get(name)!).add(node.flow.name);
  }

  for (const node of graph.nodes) {
    const seen = new Set<string>();
    for (const read of node.facts.reads) {
      if (ALWAYS_SET.has(read.name)) continue;
      const key = `${read.name}\0${read.at.join('.')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const place = { step: node.step.id, at: read.at, ...(read.offset === undefined ? { needle: read.name } : { offset: read.offset }) };
      if (!varsSetAnywhere.has(read.name)) {
        const hint = suggest(read.name, candidates(graph, node, varsSetAnywhere));
        findings.push({
          severity: 'error', flow: node.flow.name, place,
          message: `variable '${read.name}' is never set: no ask (var:) or set step in any flow sets it${hint ? ` (did you mean '${hint}'?)` : ''}`,
        });
        continue;
      }
      const before = known[node.index];
      if (read.test || before === undefined || before.has(read.name)) continue;
      const flows = setters.get(read.name);
      // Set only in a file that does not compile: that file's error is the one to fix first.
      if (flows === undefined) continue;
      const message = flows.has(node.flow.name)
        ? `variable '${read.name}' may not be set yet here: some ways to this step skip every step that sets it`
        : `variable '${read.name}' is only set in flow ${[...flows].map((f) => `'${f}'`).join(', ')}; here it is empty unless the customer went through there first`;
      findings.push({ severity: 'warning', flow: node.flow.name, place, message });
    }
  }
  return findings;
};

/** Names to suggest for a misspelt variable: the flow's own first, then all of them when there are not too many. */
function candidates(graph: FlowGraph, node: StepNode, all: ReadonlySet<string>): string[] {
  const own = graph.stepsOf(node.flow).flatMap((step) => step.facts.sets);
  return all.size <= 500 ? [...new Set([...own, ...all])] : own;
}

/** For each step that can run: the variables set on every way to it (a forward "must" dataflow). */
function mustBeSet(graph: FlowGraph): (ReadonlySet<string> | undefined)[] {
  const known: (ReadonlySet<string> | undefined)[] = new Array(graph.nodes.length);
  const work: StepNode[] = [];
  const gotoOnly = new Set<string>();
  const pressed = new Set<string>();
  for (const node of graph.nodes) {
    for (const edge of node.edges) if (edge.crossFlow) gotoOnly.add(edge.to.flow.name);
    for (const button of node.facts.buttons) pressed.add(button.payload);
  }
  for (const flow of graph.flows.values()) {
    const t = flow.triggers;
    const fresh = t.start || t.fallback || t.keywords.length + t.examples.length + t.payloads.length > 0 ||
      pressed.has(flow.name) || t.payloads.some((p) => pressed.has(p)) || !gotoOnly.has(flow.name);
    const entry = graph.entry(flow.name);
    if (fresh && entry) {
      known[entry.index] = new Set();
      work.push(entry);
    }
  }
  while (work.length > 0) {
    const node = work.pop()!;
    const here = known[node.index]!;
    for (const edge of node.edges) {
      // Sets are never changed once stored, so an edge that sets nothing can share its source's set.
      const arriving = edge.exit.sets.length === 0 ? here : new Set([...here, ...edge.exit.sets]);
      const there = known[edge.to.index];
      if (there === undefined) {
        known[edge.to.index] = arriving;
        work.push(edge.to);
        continue;
      }
      const narrowed = [...there].filter((name) => arriving.has(name));
      if (narrowed.length < there.size) {
        known[edge.to.index] = new Set(narrowed);
        work.push(edge.to);
      }
    }
  }
  return known;
}
