/**
 * Compares what a turn did with what the test expects, and says how they differ in words an editor reads:
 * each expected reply beside the actual one, then flow, step, variables, buttons and handoff.
 */
import type { FlowSet } from '../../engine/model.ts';
import type { VarValue } from '../../engine/types.ts';
import { stepLabel } from '../step-label.ts';
import type { SimTurn } from '../simulator.ts';
import type { ReplyMatcherInput, TurnInputSpec } from './test-file-schema.ts';

/** The differences between the turn and the expectations; empty when the turn is as expected. */
export function compareTurn(spec: TurnInputSpec, turn: SimTurn, flows: FlowSet): string[] {
  const out: string[] = [];
  if (spec.bot !== undefined) out.push(...compareReplies(Array.isArray(spec.bot) ? spec.bot : [spec.bot], turn.replies.map((r) => r.text)));
  const waiting = turn.state.awaiting;
  if (spec.flow !== undefined && (waiting?.flow ?? null) !== spec.flow) {
    out.push(`flow: expected ${where(spec.flow)}, got ${where(waiting?.flow ?? null)}`);
  }
  if (spec.step !== undefined && (waiting?.step ?? null) !== spec.step) {
    const got = waiting ? stepLabel(flows, waiting.flow, waiting.step) : where(null);
    out.push(`step: expected ${where(spec.step)}, got ${got}`);
  }
  for (const [name, expected] of Object.entries(spec.vars ?? {})) {
    const actual = turn.state.vars[name];
    if (!sameValue(expected, actual)) out.push(`vars.${name}: expected ${showValue(expected)}, got ${showValue(actual)}`);
  }
  if (spec.buttons !== undefined) {
    const titles = turn.replies.flatMap((reply) => reply.buttons.map((b) => b.title));
    if (JSON.stringify(titles) !== JSON.stringify(spec.buttons)) {
      out.push(`buttons: expected ${showList(spec.buttons)}, got ${showList(titles)}`);
    }
  }
  if (spec.handoff !== undefined) {
    const reason = turn.handoff;
    if (spec.handoff === false && reason !== undefined) out.push(`handoff: expected none, but it handed over ("${reason}")`);
    if (spec.handoff !== false && reason === undefined) out.push('handoff: expected a handoff to a person, but there was none');
    if (typeof spec.handoff === 'string' && reason !== undefined && !reason.toLowerCase().includes(spec.handoff.toLowerCase())) {
      out.push(`handoff: expected a reason containing "${spec.handoff}", got "${reason}"`);
    }
  }
  return out;
}

export function matches(matcher: ReplyMatcherInput, text: string): boolean {
  if (typeof matcher === 'string') return text === matcher;
  if ('contains' in matcher) return text.toLowerCase().includes(matcher.contains.toLowerCase());
  return new RegExp(matcher.matches, 'u').test(text);
}

function describeMatcher(matcher: ReplyMatcherInput): string {
  if (typeof matcher === 'string') return JSON.stringify(matcher);
  if ('contains' in matcher) return `a reply containing ${JSON.stringify(matcher.contains)}`;
  return `a reply matching /${matcher.matches}/`;
}

function compareReplies(expected: readonly ReplyMatcherInput[], actual: readonly string[]): string[] {
  const ok = expected.length === actual.length && expected.every((m, i) => matches(m, actual[i]!));
  if (ok) return [];
  const count = (n: number) => `${n} repl${n === 1 ? 'y' : 'ies'}`;
  const lines = [`bot: expected ${count(expected.length)}, got ${count(actual.length)}`];
  for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
    const m = expected[i];
    const text = actual[i];
    const n = String(i + 1).padStart(2);
    if (m !== undefined && text !== undefined && matches(m, text)) lines.push(`  ${n} ✓ ${JSON.stringify(text)}`);
    else if (m !== undefined && text !== undefined) lines.push(`  ${n} - expected ${describeMatcher(m)}`, `     + actual   ${JSON.stringify(text)}`);
    else if (m !== undefined) lines.push(`  ${n} - expected ${describeMatcher(m)}`, '     + (no reply)');
    else lines.push(`  ${n} + unexpected ${JSON.stringify(text)}`);
  }
  return lines;
}

function sameValue(expected: VarValue, actual: VarValue | undefined): boolean {
  if (expected === null) return actual === undefined || actual === null;
  return actual !== undefined && actual !== null && String(actual) === String(expected);
}

function where(name: string | null): string {
  return name === null ? 'none (nothing waits for an answer)' : `'${name}'`;
}

function showValue(value: VarValue | undefined): string {
  return value === undefined || value === null ? 'unset' : JSON.stringify(value);
}

function showList(items: readonly string[]): string {
  return items.length === 0 ? 'no buttons' : `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
}
