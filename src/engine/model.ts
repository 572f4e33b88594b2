/**
 * Flows as the runner sees them: checked, with every step given an id and a `next`, every jump resolved.
 * Plain data (strings, numbers, Maps), so a FlowSet can be hashed and shared between turns.
 */
import type { Condition } from './condition.ts';
import type { VarValue } from './types.ts';

/**
 * Text shown to the customer: one text for every language, or one per locale (`{ en: "Hi", de: "Hallo" }`,
 * lowercase BCP 47 keys; a map always holds the flow's default locale). May contain `{{var}}` placeholders.
 */
export type LocalText = string | Readonly<Record<string, string>>;

/** A button as a flow declares it; its title is rendered for the conversation's locale. */
export interface FlowButton {
  title: LocalText;
  payload: string;
}

/** Where a jump goes: a step of the current flow, or the start of another flow. */
export type Target = { step: string } | { flow: string };

export type Validator =
  | { type: 'text' }
  | { type: 'number'; min?: number; max?: number }
  | { type: 'email' }
  | { type: 'phone' }
  | { type: 'pattern'; pattern: string }
  /**
   * A reference such as an order number: `prefix` and `digits` digits, found anywhere in the answer however the
   * customer writes it (`bw12345`, `BW 12345`, `#bw-12345`), stored as `prefix` + `separator` + digits (`BW-12345`).
   */
  | { type: 'code'; prefix: string; digits: number; separator: string }
  | { type: 'choice' };

interface StepBase {
  /** The editor's `id`, or a generated one (`#2`, `#2.then.1`) that no editor id can clash with. */
  id: string;
  /** The step that follows; absent at the end of the flow. */
  next?: string;
}

export interface SayStep extends StepBase {
  kind: 'say';
  text: LocalText;
  buttons?: FlowButton[];
}

export interface AskStep extends StepBase {
  kind: 'ask';
  prompt: LocalText;
  var: string;
  validate: Validator;
  /** Shown with the prompt; for `choice`, the answers (from `buttons`, or `validate.options`). */
  buttons?: FlowButton[];
  retry?: LocalText;
  retries: number;
  onFail?: Target;
  /** Taken, without spending a retry, when a wrong answer says the customer doesn't have or know it. */
  onUnknown?: Target;
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

/**
 * Asks the business's systems through an endpoint declared in configuration (never in the flow). The turn
 * stops with an effect; the result's JSON fields are saved into variables, or `onError` is taken.
 */
export interface CallStep extends StepBase {
  kind: 'call';
  /** Name of an endpoint in the CALL_ENDPOINTS setting. */
  endpoint: string;
  /** Parameters for the endpoint; text values are templates. */
  params: Record<string, string | number | boolean>;
  /** Variable → path into the JSON answer (`data`, `data.status`, `data.items[0].name`). */
  save: Record<string, string>;
  timeoutMs: number;
  /** Taken when the call fails (the reason is in `call_error`); absent: apologise and end the flow. */
  onError?: Target;
}

/** Asks the knowledge base; says the answer with its sources when confident enough, else `onUnsure`. */
export interface AnswerStep extends StepBase {
  kind: 'answer';
  /** Template of the question; `{{last_message}}` is what the customer wrote this turn. */
  question: string;
  /** 0..1; absent: DEFAULT_MIN_CONFIDENCE. */
  minConfidence?: number;
  /** Store the answer in this variable instead of saying it. */
  save?: string;
  /** Absent: say the built-in "not sure" and offer to rephrase or talk to a person; the flow ends. */
  onUnsure?: Target;
}

export type Step = SayStep | AskStep | IfStep | SetStep | GotoStep | HandoffStep | EndStep | CallStep | AnswerStep;

/** A customer-facing text of a flow and where it is written, for the translation check. */
export interface LocatedText {
  line: number;
  col: number;
  text: LocalText;
}

export interface Triggers {
  keywords: string[];
  examples: string[];
  payloads: string[];
  start: boolean;
  fallback: boolean;
}

export interface Flow {
  name: string;
  /** What a button offering the flow says ("Order status"): shown when the bot offers the closest candidates. */
  title?: LocalText;
  description?: string;
  /** The file it was read from, for messages; not part of the version hash. */
  file: string;
  interrupts: boolean;
  /** The locale its texts fall back to when the conversation's locale has none (`default_locale`, default `en`). */
  defaultLocale: string;
  triggers: Triggers;
  /** Id of the first step. */
  entry: string;
  steps: ReadonlyMap<string, Step>;
  /** Every customer-facing text with its position; like `file`, not part of the version hash. */
  texts: readonly LocatedText[];
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
