import type { ConversationState, TurnInput, TurnResult } from '../engine/types.ts';
import type { Conversation, NewOutbound } from '../store/types.ts';

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
 * the process that runs the turn; a hook that throws fails the turn (it is retried like any failed turn).
 */
export interface TurnHooks {
  /** In bot mode, before the engine: the customer asked for a person, rated a past handoff, … */
  beforeEngine?(conversation: Conversation, input: TurnInput): Promise<TurnOverride | undefined>;
  /** In bot mode, after the engine (and its effects): the knowledge base declined twice, frustration, … */
  afterEngine?(conversation: Conversation, input: TurnInput, result: TurnResult): Promise<Extract<TurnOverride, { kind: 'reply' }> | undefined>;
  /** After every committed turn, in either mode; `inboundId` is null for turns Parley started itself. */
  committed?(conversation: Conversation, inboundId: string | null, input: TurnInput): Promise<void>;
}
