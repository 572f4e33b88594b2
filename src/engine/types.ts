import type { Button, OutboundMessage } from '../core/message.ts';

/** A value a flow can hold in a variable. */
export type VarValue = string | number | boolean | null;

/**
 * Where a conversation stands in its flows. Plain JSON: it is stored on the conversation row and must survive
 * a restart unchanged.
 */
export interface ConversationState {
  /** Active flow and step; both absent when the conversation is idle (between flows). */
  flow?: string;
  step?: string;
  vars: Record<string, VarValue>;
  /** Set while an `ask` step waits for the customer's answer. */
  awaiting?: { flow: string; step: string; attempts: number };
  /** Buttons last offered, so a typed "2" or a button's title resolves to its payload on any channel. */
  offered?: Button[];
  /** Version of the flow set the active flow was started on (content hash), for safe reloads. */
  flowVersion?: string;
}

/** What the customer did this turn. */
export interface TurnInput {
  text?: string;
  payload?: string;
  /** `start`: a new conversation opened (before the customer wrote anything). */
  event?: 'start';
}

export type EngineAction =
  | { type: 'say'; message: OutboundMessage }
  | { type: 'handoff'; reason: string }
  | { type: 'end' };

export interface TurnResult {
  state: ConversationState;
  actions: EngineAction[];
}
