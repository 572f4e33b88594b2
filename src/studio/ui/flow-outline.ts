/**
 * The flow map's content for one flow file, read from the editor's text in the browser with the checker's own
 * parser (src/engine/parse-flow-file.ts), so the map is the flow the engine would run: a node for the triggers that
 * start it, one per step at its line (src/editor/locate.ts names steps as the engine does), one per other flow it
 * jumps to; an edge for every way a step goes on (src/editor/step-facts.ts), labelled with its branch. Steps the
 * start cannot reach are marked, and so are the edges that loop back.
 */
import { FlowLocator } from '../../editor/locate.ts';
import { stepFacts } from '../../editor/step-facts.ts';
import type { Flow, LocalText, Step, Target } from '../../engine/model.ts';
import { checkFlowFile } from '../../engine/parse-flow-file.ts';

export type NodeKind = 'triggers' | Step['kind'] | 'flow';

export interface OutlineNode {
  id: string;
  kind: NodeKind;
  /** What the node is: `ask item_condition`, `say`, `→ human`. */
  title: string;
  /** A line of what it says or does. */
  detail: string;
  /** 1-based line in the file; 0 for other flows. */
  line: number;
  unreachable: boolean;
}

export interface OutlineEdge {
  id: string;
  from: string;
  to: string;
  label: string;
  /** Goes back to a step already on the way here: a loop (fine when a step waits for the customer in it). */
  loop: boolean;
}

export interface FlowOutline {
  flow: string;
  /** The languages its texts are written in, its default first. */
  languages: string[];
  nodes: OutlineNode[];
  edges: OutlineEdge[];
}

const TRIGGERS = 'triggers';
const flowNode = (name: string) => `flow:${name}`;

/** The outline of a flow file's text; undefined while the text does not compile (the checker says why). */
export function flowOutline(file: string, source: string): FlowOutline | undefined {
  const { flow } = checkFlowFile(file, source);
  if (!flow) return undefined;
  const locator = new FlowLocator(file, source);
  const lines = source.split('\n');
  const nodes: OutlineNode[] = [{ id: TRIGGERS, kind: 'triggers', title: `${flow.name} starts on`, detail: triggerText(flow), line: locator.position({ at: ['triggers'] }).line, unreachable: false }];
  const edges: OutlineEdge[] = [{ id: 'start', from: TRIGGERS, to: flow.entry, label: '', loop: false }];
  const others = new Set<string>();
  const targetId = (target: Target) => ('step' in target ? target.step : (others.add(target.flow), flowNode(target.flow)));

  for (const step of flow.steps.values()) {
    const line = locator.position({ step: step.id }).line;
    nodes.push({ id: step.id, kind: step.kind, title: stepTitle(step), detail: stepDetail(step, flow, lines, locator), line, unreachable: false });
    const labels = exitLabels(step);
    stepFacts(step).exits.forEach((exit, i) => {
      const to = exit.to === 'next' ? step.next : targetId(exit.to);
      if (to !== undefined) edges.push({ id: `${step.id}>${i}`, from: step.id, to, label: labels[i] ?? '', loop: false });
    });
  }
  for (const name of others) nodes.push({ id: flowNode(name), kind: 'flow', title: `→ ${name}`, detail: 'another flow', line: 0, unreachable: false });
  markReachAndLoops(nodes, edges);
  return { flow: flow.name, languages: languagesOf(flow), nodes, edges };
}

function languagesOf(flow: Flow): string[] {
  const written = flow.texts.flatMap(({ text }) => (typeof text === 'string' ? [] : Object.keys(text)));
  return [...new Set([flow.defaultLocale, ...written])];
}

function triggerText(flow: Flow): string {
  const { keywords, payloads, start, fallback } = flow.triggers;
  const parts = [
    ...(start ? ['the start of a conversation'] : []),
    ...(fallback ? ['anything not understood'] : []),
    ...(keywords.length ? [`${keywords.slice(0, 4).join(', ')}${keywords.length > 4 ? ` +${keywords.length - 4}` : ''}`] : []),
    ...(payloads.length ? [`buttons: ${payloads.join(', ')}`] : []),
  ];
  return parts.join(' · ') || 'a goto from another flow';
}

/** The step's own id when the editor gave it one (generated ones, `#3.then.1`, appear nowhere in the file). */
function stepTitle(step: Step): string {
  const named = !step.id.startsWith('#') && !step.id.includes('.');
  if (step.kind === 'ask') return `${named ? step.id : 'ask'} → ${step.var}`;
  if (step.kind === 'call') return `${named ? `${step.id}: ` : ''}${step.endpoint}`;
  return named ? step.id : step.kind;
}

function firstText(text: LocalText, flow: Flow): string {
  return typeof text === 'string' ? text : text[flow.defaultLocale] ?? Object.values(text)[0] ?? '';
}

function stepDetail(step: Step, flow: Flow, lines: readonly string[], locator: FlowLocator): string {
  switch (step.kind) {
    case 'say': return firstText(step.text, flow);
    case 'ask': return firstText(step.prompt, flow);
    case 'handoff': return step.reason;
    case 'answer': return step.question;
    case 'set': return Object.keys(step.values).join(', ');
    case 'goto': return 'step' in step.target ? `to ${step.target.step}` : `to the flow ${step.target.flow}`;
    case 'if': {
      const { line } = locator.position({ step: step.id, at: ['if'] });
      return (lines[line - 1] ?? '').replace(/^[\s-]*if:\s*/, '').replace(/^["']|["']$/g, '');
    }
    case 'call': return Object.keys(step.save).join(', ');
    case 'end': return 'the flow ends';
  }
}

/** The labels of stepFacts' exits, in its order. */
function exitLabels(step: Step): string[] {
  switch (step.kind) {
    case 'ask': return ['answered', ...(step.onFail ? ['no valid answer'] : []), ...(step.onUnknown ? ["doesn't know"] : [])];
    case 'if': return ['then', 'else'];
    case 'call': return ['', ...(step.onError ? ['error'] : [])];
    case 'answer': return ['', ...(step.onUnsure ? ['unsure'] : [])];
    default: return [];
  }
}

function markReachAndLoops(nodes: OutlineNode[], edges: OutlineEdge[]): void {
  const out = new Map<string, OutlineEdge[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const edge of out.get(id) ?? []) {
      const seen = state.get(edge.to);
      if (seen === 'open') edge.loop = true;
      else if (seen === undefined) visit(edge.to);
    }
    state.set(id, 'done');
  };
  visit(TRIGGERS);
  for (const node of nodes) node.unreachable = !state.has(node.id);
}
