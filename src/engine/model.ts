/**
 * Flows as the runner sees them: checked, with every step given an id and a `next`, every jump resolved.
 * Plain data (strings, numbers, Maps), so a FlowSet can be hashed and shared between turns.
 */
import type { Button } from '../core/message.ts';
import type { Condition } from './condition.ts';
import type { VarValue } from './types.ts';

/** Where a jump goes: a step of the current flow, or the start of another flow. */
export type Target = { step: string } | { flow: string };

export type Validator =
  | { type: 'text' }
  | { type: 'number'; min?: number; max?: number }
  | { type: 'email' }
  | { type: 'phone' }
  | { type: 'pattern'; pattern: string }
  | { type: 'choice' };

interface StepBase {
  /** The editor's `id`, or a generated one (`#2`, `#2.then.1`) that no editor id can clash with. */
  id: string;
  /** The step that follows; absent at the end of the flow. */
  next?: string;
}

export interface SayStep extends StepBase {
  kind: 'say';
  text: string;
  buttons?: Button[];
}

export interface AskStep extends StepBase {
  kind: 'ask';
  prompt: string;
  var: string;
  validate: Validator;
  /** Shown with the prompt; for `choice`, the answers (from `buttons`, or `validate.options`). */
  buttons?: Button[];
  retry?: string;
  retries: number;
  onFail?: Target;
}

export interface IfStep extends StepBase {
  kind: 'if';
  condition: Condition;
  /** Absent: continue with `next`. */
  then?: Target;
  else?: Target;
}

export interface SetStep extends StepBase {
  kind: 'set';
  values: Record<string, VarValue>;
}

export interface GotoStep extends StepBase {
  kind: 'goto';
  target: Target;
}

export interface HandoffStep extends StepBase {
  kind: 'handoff';
  reason: string;
}

export interface EndStep extends StepBase {
  kind: 'end';
}

export type Step = SayStep | AskStep | IfStep | SetStep | GotoStep | HandoffStep | EndStep;

export interface Triggers {
  keywords: string[];
  examples: string[];
  payloads: string[];
  start: boolean;
  fallback: boolean;
}

export interface Flow {
  name: string;
  description?: string;
  /** The file it was read from, for messages; not part of the version hash. */
  file: string;
  interrupts: boolean;
  triggers: Triggers;
  /** Id of the first step. */
  entry: string;
  steps: ReadonlyMap<string, Step>;
}

export interface FlowSet {
  flows: ReadonlyMap<string, Flow>;
  /** Content hash of the flows: changes when any flow's behaviour can change. */
  version: string;
  /** The flow with `triggers.start`, if any. */
  startFlow?: string;
  /** The flow with `triggers.fallback`, if any. */
  fallbackFlow?: string;
  /** Button payload → flow it starts (flow names and `triggers.payloads`). */
  payloads: ReadonlyMap<string, string>;
}

/** One mistake in a flow file; line and col are 1-based. */
export interface FlowIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}
