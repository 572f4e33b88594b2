/**
 * The customer's rating of a conversation: the 1–5 question, asked at the end of a conversation on every channel,
 * at most once per conversation (the table's primary key is the conversation). A conversation ends when a person
 * resolves its handoff (src/handoff asks, through `askAfterHandoff`), or when the customer closes a conversation
 * with the bot in so many words ("thanks, bye"; closing.ts). The answer is a rating button or a typed "4", "4/5",
 * "4 stars" (rendered as a numbered list where a channel has no buttons); anything else moves on without one.
 */
import { localize } from '../engine/localize.ts';
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import type { Handoff } from '../handoff/handoff-rows.ts';
import { parseRating, ratingButtons } from '../handoff/notices.ts';
import type { Conversation, Db, NewOutbound } from '../store/types.ts';
import { isClosingMessage } from './closing.ts';

const TEXTS = {
  ask: {
    en: "You're welcome, glad I could help! Before you go: how would you rate this conversation, from 1 (poor) to 5 (excellent)?",
    de: 'Gern geschehen, schön, dass ich helfen konnte! Bevor Sie gehen: Wie bewerten Sie dieses Gespräch, von 1 (schlecht) bis 5 (ausgezeichnet)?',
  },
  goodbye: {
    en: "You're welcome! Write any time if you need anything else.",
    de: 'Gern geschehen! Schreiben Sie jederzeit, wenn Sie noch etwas brauchen.',
  },
  thanks: { en: 'Thank you for your feedback!', de: 'Vielen Dank für Ihre Rückmeldung!' },
} as const;

export interface OpenRating {
  conversationId: string;
  handoffId: string | null;
}

/** The conversation_ratings table (migration 0008). */
export class RatingStore {
  constructor(private readonly db: Db) {}

  /**
   * Records that the question is being asked; false when this conversation was asked before (never ask twice).
   * The rating is filed under the last flow the conversation ran in.
   */
  async claim(conversation: Conversation, handoffId?: string): Promise<boolean> {
    const result = await this.db.query(
      `INSERT INTO conversation_ratings (conversation_id, customer_id, channel, flow, handoff_id)
       SELECT $1, $2, $3, (SELECT flows[cardinality(flows)] FROM analytics_turns
                           WHERE conversation_id = $1 AND cardinality(flows) > 0 ORDER BY id DESC LIMIT 1), $4
       ON CONFLICT (conversation_id) DO NOTHING RETURNING conversation_id`,
      [conversation.id, conversation.customerId, conversation.channel, handoffId ?? null],
    );
    return result.rowCount === 1;
  }

  async open(conversationId: string): Promise<OpenRating | null> {
    const result = await this.db.query<{ conversation_id: string; handoff_id: string | null }>(
      'SELECT conversation_id, handoff_id FROM conversation_ratings WHERE conversation_id = $1 AND closed_at IS NULL', [conversationId]);
    const row = result.rows[0];
    return row ? { conversationId: row.conversation_id, handoffId: row.handoff_id } : null;
  }

  /** Stores the answer (null: the customer moved on without one) and closes the question. */
  async close(conversationId: string, rating: number | null): Promise<void> {
    await this.db.query('UPDATE conversation_ratings SET rating = $2, closed_at = now() WHERE conversation_id = $1 AND closed_at IS NULL', [conversationId, rating]);
  }
}

export interface RatingHooksOptions {
  ratings: RatingStore;
  /** Keeps a handoff's own rating (src/handoff) in step when the question came after its resolve. */
  closeHandoffRating?: (handoffId: string, rating: number | null) => Promise<void>;
  /** After a rating of a resolved handoff: the bot's return point, which follows the thanks (src/handoff). */
  resumeAfterRating?: (conversation: Conversation, handoffId: string) => Promise<{ replies: NewOutbound[]; state: Conversation['state'] } | undefined>;
}

/**
 * In bot mode, before the engine: an open rating question takes the customer's answer; a closing message asks the
 * question (once per conversation) or says goodbye. Earlier than the handoff hooks, so it takes every rating.
 */
export function createRatingHooks(options: RatingHooksOptions): TurnHooks {
  const { ratings } = options;
  const locale = (conversation: Conversation) => conversation.state.locale ?? conversation.locale ?? undefined;
  return {
    async beforeEngine(conversation, input, unit) {
      if (input.event === 'start') return undefined;
      // Read with the conversation by the turn's first read (conversation_ratings).
      const open = unit.reads.openRating ? { conversationId: conversation.id, handoffId: unit.reads.openRating.handoffId } : null;
      if (open) {
        const stars = parseRating(input) ?? null;
        await ratings.close(conversation.id, stars);
        if (open.handoffId) await options.closeHandoffRating?.(open.handoffId, stars);
        if (stars === null) return undefined;
        const { offered: _offered, ...state } = conversation.state;
        const back = open.handoffId ? await options.resumeAfterRating?.({ ...conversation, state }, open.handoffId) : undefined;
        return { kind: 'reply', replies: [say('thanks', locale(conversation)), ...(back?.replies ?? [])], state: back?.state ?? state };
      }
      if (input.text === undefined || conversation.state.awaiting || !isClosingMessage(input.text)) return undefined;
      // A goodbye as the very first message is no end of a conversation worth rating.
      if (!unit.reads.wroteBefore) return undefined;
      if (!(await ratings.claim(conversation))) return { kind: 'reply', replies: [say('goodbye', locale(conversation))] };
      const buttons = ratingButtons();
      return { kind: 'reply', replies: [{ ...say('ask', locale(conversation)), buttons }], state: { ...conversation.state, offered: buttons } };
    },
  };
}

/** For the handoff service: whether to ask for a rating after this resolve (not when the conversation was asked before). */
export function askAfterHandoff(ratings: RatingStore): (conversation: Conversation, handoff: Handoff) => Promise<boolean> {
  return (conversation, handoff) => ratings.claim(conversation, handoff.id);
}

function say(key: keyof typeof TEXTS, locale: string | undefined): NewOutbound {
  return { text: localize(TEXTS[key], locale) };
}
