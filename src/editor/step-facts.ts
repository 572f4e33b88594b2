/**
 * What each kind of step does, as far as the checks care: where it can go next, which variables it reads and
 * sets, which texts and buttons it shows. One switch over the step kinds: when the engine gains a kind, tsc
 * stops here until it is described, and every check (reachability, loops, variables, buttons, channel limits)
 * then handles it.
 */
import type { Condition } from '../engine/condition.ts';
import type { Step, Target } from '../engine/model.ts';
import { CALL_ERROR_VAR } from '../engine/steps/call.ts';

/** A place inside a step's YAML, relative to the step: `['say']`, `['buttons', 0, 'title']`. */
export type FieldPath = readonly PropertyKey[];

/** One way out of a step. `next`: the step after it (or the end of the flow when there is none). */
export interface Exit {
  to: Target | 'next';
  /** Variables certainly set when the step leaves this way (an ask sets its variable only when answered). */
  sets: readonly string[];
}

export interface VarRead {
  name: string;
  at: FieldPath;
  /** Offset of the name inside the text at `at`, when known. */
  offset?: number;
  /** Only asks whether the variable is set (`x is set`, a bare `x`): reading it unset is the point. */
  test: boolean;
}

export interface TextUse {
  text: string;
  at: FieldPath;
  /** message: sent to the customer; button: a button title; internal: a handoff reason or a set value. */
  role: 'message' | 'button' | 'internal';
}

export interface ButtonUse {
  title: string;
  payload: string;
  at: FieldPath;
  /** True for an ask's buttons: pressing one answers the ask instead of starting a flow. */
  answers: boolean;
}

export interface StepFacts {
  exits: Exit[];
  /** The turn stops here until the customer answers, so a loop through this step cannot run away. */
  waits: boolean;
  reads: VarRead[];
  sets: string[];
  texts: TextUse[];
  buttons: ButtonUse[];
}

const NEXT: Exit = { to: 'next', sets: [] };

export function stepFacts(step: Step): StepFacts {
  const facts = describeStep(step);
  return { ...facts, reads: [...facts.reads, ...facts.texts.flatMap(templateReads)] };
}

function describeStep(step: Step): StepFacts {
  switch (step.kind) {
    case 'say': {
      const buttons = buttonUses(step.buttons, false);
      return facts({ exits: [NEXT], texts: [...texts(step.text, ['say'], 'message'), ...buttonTexts(buttons)], buttons });
    }
    case 'ask': {
      const buttons = buttonUses(step.buttons, true);
      return facts({
        exits: [
          { to: 'next', sets: [step.var] },
          ...(step.onFail ? [{ to: step.onFail, sets: [] }] : []),
          ...(step.onUnknown ? [{ to: step.onUnknown, sets: [] }] : []),
        ],
        waits: true,
        sets: [step.var],
        texts: [...texts(step.prompt, ['ask'], 'message'), ...texts(step.retry, ['retry'], 'message'), ...buttonTexts(buttons)],
        buttons,
      });
    }
    case 'if':
      return facts({
        exits: [
          { to: step.then ?? 'next', sets: [...certainlySet(step.condition, true)] },
          { to: step.else ?? 'next', sets: [...certainlySet(step.condition, false)] },
        ],
        reads: conditionReads(step.condition, ['if']),
      });
    case 'set':
      return facts({
        exits: [{ to: 'next', sets: Object.keys(step.values) }],
        sets: Object.keys(step.values),
        texts: Object.entries(step.values).flatMap(([name, value]) => texts(value, ['set', name], 'internal')),
      });
    case 'goto':
      return facts({ exits: [{ to: step.target, sets: [] }] });
    case 'handoff':
      return facts({ texts: texts(step.reason, ['handoff'], 'internal') });
    case 'end':
      return facts({});
    case 'call':
      return facts({
        exits: [
          { to: 'next', sets: Object.keys(step.save) },
          ...(step.onError ? [{ to: step.onError, sets: [CALL_ERROR_VAR] }] : []),
        ],
        sets: [...Object.keys(step.save), CALL_ERROR_VAR],
        texts: Object.entries(step.params).flatMap(([name, value]) => texts(value, ['with', name], 'internal')),
      });
    case 'answer':
      return facts({
        exits: [{ to: 'next', sets: step.save ? [step.save] : [] }, ...(step.onUnsure ? [{ to: step.onUnsure, sets: [] }] : [])],
        sets: step.save ? [step.save] : [],
        texts: texts(step.question, ['answer'], 'internal'),
      });
    default:
      return unknownKind(step);
  }
}

function unknownKind(step: never): never {
  throw new Error(`step-facts: no description for step kind ${JSON.stringify((step as { kind?: unknown }).kind)}`);
}

function facts(partial: Partial<StepFacts>): StepFacts {
  return { exits: [], waits: false, reads: [], sets: [], texts: [], buttons: [], ...partial };
}

/**
 * A text field: plain text, or one text per locale (`{ en: "...", de: "..." }`), each at its own path.
 * Other values (numbers, booleans in `set`) are not texts.
 */
export function texts(value: unknown, at: FieldPath, role: TextUse['role']): TextUse[] {
  if (typeof value === 'string') return [{ text: value, at, role }];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([locale, text]) => (typeof text === 'string' ? [{ text, at: [...at, locale], role }] : []));
}

function buttonUses(buttons: readonly { title: unknown; payload: string }[] | undefined, answers: boolean): ButtonUse[] {
  return (buttons ?? []).flatMap((button, i) =>
    texts(button.title, ['buttons', i, 'title'], 'button').map((title) => ({ title: title.text, payload: button.payload, at: title.at, answers })),
  );
}

function buttonTexts(buttons: readonly ButtonUse[]): TextUse[] {
  return buttons.map((button) => ({ text: button.title, at: button.at, role: 'button' }));
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)[^}]*\}\}/g;

/** `{{name}}` placeholders; a dotted `{{order.status}}` reads the variable `order`. */
function templateReads(use: TextUse): VarRead[] {
  return [...use.text.matchAll(PLACEHOLDER)].map((match) => ({
    name: match[1]!,
    at: use.at,
    offset: match.index + match[0].indexOf(match[1]!),
    test: false,
  }));
}

function conditionReads(condition: Condition, at: FieldPath): VarRead[] {
  switch (condition.op) {
    case 'and':
    case 'or':
      return [...conditionReads(condition.left, at), ...conditionReads(condition.right, at)];
    case 'not':
      return conditionReads(condition.expr, at);
    case 'set':
    case 'truthy':
      return [{ name: condition.var, at, test: true }];
    case 'compare':
      return [condition.left, condition.right].flatMap((operand) => ('var' in operand ? [{ name: operand.var, at, test: false }] : []));
  }
}

/**
 * Variables that must be set when `condition` came out as `outcome`: `x is set` (true), `not (x is set)` (false),
 * `x == 'yes'` (true: an unset variable reads as empty text). Lets a guarded read not count as "maybe unset".
 */
function certainlySet(condition: Condition, outcome: boolean): Set<string> {
  switch (condition.op) {
    case 'not':
      return certainlySet(condition.expr, !outcome);
    case 'and':
    case 'or': {
      const left = certainlySet(condition.left, outcome);
      const right = certainlySet(condition.right, outcome);
      // Both sides hold when `and` is true or `or` is false; otherwise only one of them is known to.
      const both = (condition.op === 'and') === outcome;
      return both ? new Set([...left, ...right]) : new Set([...left].filter((name) => right.has(name)));
    }
    case 'set':
    case 'truthy':
      return new Set(outcome ? [condition.var] : []);
    case 'compare': {
      const { cmp, left, right } = condition;
      if (!outcome || cmp === '!=' || cmp === 'matches') return new Set();
      const literal = 'value' in left ? left.value : 'value' in right ? right.value : undefined;
      const named = [left, right].flatMap((operand) => ('var' in operand ? [operand.var] : []));
      // Ordering needs numbers on both sides; == and contains need a non-empty literal to rule out "unset".
      const rulesOutUnset = cmp !== '==' && cmp !== 'contains' ? true : literal !== undefined && String(literal) !== '';
      return new Set(rulesOutUnset ? named : []);
    }
  }
}
