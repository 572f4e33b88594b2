import type { ConversationState, TurnInput, TurnResult } from '../engine/types.ts';
import type { Conversation, NewOutbound } from '../store/types.ts';
import type { TurnUnit } from './turn-unit.ts';

/**
 * What a hook may do with a turn instead of letting the engine's result stand:
 * - `reply`: these replies instead of the engine's (and the state, when given); with `handoff`, the conversation
 *   goes to a person for that reason, exactly as after a flow's `handoff` step;
 * - `redirect`: run the engine on this input instead of the customer's (e.g. the payload of the person flow).
 */
export type TurnOverride =
  | { kind: 'reply'; replies: NewOutbound[]; state?: ConversationState; handoff?: string }
  | { kind: 'redirect'; input: TurnInput };

/**
 * Extension points of the turn pipeline, implemented by src/handoff. Each runs under the conversation's lock, in
 * the process that runs the turn; a hook that throws fails the turn (it is retried like any failed turn). `unit` is
 * the turn's unit of work: a hook reads what the turn's first read loaded there, and adds its rows to the turn's
 * commit there, instead of querying the database on its own (a steady-state turn is one read and one write).
 */
export interface TurnHooks {
  /**
   * Before anything else, in either mode (also while a person has the conversation): the customer's own commands
   * about their channels and consent (src/customers: STOP, "message me on WhatsApp"). A reply ends the turn with
   * it (the mode stays as it is; its `handoff` is ignored). `inboundId` is null for turns Parley started itself.
   * `inbound` carries what the channel knew of the message beyond its content, when this process accepted it.
   */
  beforeTurn?(conversation: Conversation, input: TurnInput, inboundId: string | null, unit: TurnUnit, inbound?: InboundFacts): Promise<Extract<TurnOverride, { kind: 'reply' }> | undefined>;
  /** In bot mode, before the engine: the customer asked for a person, rated a past handoff, … */
  beforeEngine?(conversation: Conversation, input: TurnInput, unit: TurnUnit): Promise<TurnOverride | undefined>;
  /** In bot mode, after the engine (and its effects): the knowledge base declined twice, frustration, … */
  afterEngine?(conversation: Conversation, input: TurnInput, result: TurnResult, unit: TurnUnit): Promise<Extract<TurnOverride, { kind: 'reply' }> | undefined>;
  /**
   * Just before the commit, in either mode: rows that record the turn (analytics) go into `unit`. `conversation`
   * is as the commit will leave it (state and mode), except its version.
   */
  beforeCommit?(conversation: Conversation, inboundId: string | null, input: TurnInput, turn: TurnFacts, unit: TurnUnit): void;
  /**
   * After every committed turn, in either mode; `inboundId` is null for turns Parley started itself. `turn` says
   * what the turn did (for analytics and metrics); it never carries what the customer wrote.
   */
  committed?(conversation: Conversation, inboundId: string | null, input: TurnInput, turn: TurnFacts): Promise<void>;
}

/**
 * What the channel knew of a customer's message beyond its content. Held in memory only, for the turn: a turn that
 * another process recovers after a crash runs without it.
 */
export interface InboundFacts {
  /** The client's network address (web chat: `request.ip`, honouring TRUST_PROXY); for limits, never stored or logged. */
  clientAddress?: string;
}

/** What one committed turn did, measured by the turn pipeline (never what the customer wrote). */
export interface TurnFacts {
  /** The flows the engine ran in during the turn, in the order it reached them; empty when it did not run. */
  flows: readonly string[];
  /** The steps it ran (and the question it was answering), as `flow:step`, in order; empty when it did not run. */
  steps: readonly string[];
  /** The `handoff` step that handed the conversation over this turn, as `flow:step`. */
  handoffStep?: string;
  /** Replies the turn committed. */
  replies: number;
  /** `handoff`, `with_person` (recorded while a person has the conversation), `replied` or `no_reply`. */
  outcome: 'handoff' | 'with_person' | 'replied' | 'no_reply';
  /** From taking the turn up to its commit (measured just before the commit is sent). */
  durationMs: number;
  /** W3C-style ids of the turn (32 and 16 hex digits), also on its log line. */
  traceId: string;
  spanId: string;
}
