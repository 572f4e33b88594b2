import type { Target } from '../model.ts';
import type { EngineAction, VarValue } from '../types.ts';

/** Where the runner goes after a step. */
export type Next =
  | { kind: 'continue' }
  | { kind: 'jump'; target: Target }
  /** Stop the turn and wait for the customer's answer to this ask. */
  | { kind: 'wait'; attempts: number }
  /** The flow is over (end, handoff, or an ask gave up); the conversation goes idle. */
  | { kind: 'stop' };

export interface StepResult {
  actions: EngineAction[];
  /** The variables after the step, when it changed them. */
  vars?: Record<string, VarValue>;
  next: Next;
}

export interface StepContext {
  vars: Readonly<Record<string, VarValue>>;
}

export const CONTINUE: Next = { kind: 'continue' };
