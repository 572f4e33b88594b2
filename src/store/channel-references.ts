import type { Db, Queryable } from './types.ts';

/**
 * What a channel must keep to write into a conversation later, outside the customer's turn (for Bot Framework the
 * ConversationReference: serviceUrl, bot, user, conversation). Kept in the database beside the conversation, not in
 * Redis, because an agent may answer hours later, after restarts, and the outbox's sweep needs it to deliver what
 * was left pending. The value is opaque JSON: only the channel's adapter reads it.
 */
export class ChannelReferenceStore {
  constructor(private readonly db: Queryable) {}

  /** Saves the reference; a write that changes nothing is skipped. */
  async save(channel: string, conversationId: string, reference: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO channel_references (channel, conversation_id, reference) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (channel, conversation_id) DO UPDATE SET reference = EXCLUDED.reference, updated_at = now()
       WHERE channel_references.reference IS DISTINCT FROM EXCLUDED.reference`,
      [channel, conversationId, JSON.stringify(reference)],
    );
  }

  async get<T = unknown>(channel: string, conversationId: string): Promise<T | undefined> {
    const result = await this.db.query<{ reference: T }>(
      'SELECT reference FROM channel_references WHERE channel = $1 AND conversation_id = $2',
      [channel, conversationId],
    );
    return result.rows[0]?.reference;
  }
}

/** For `store.repository`: the channels' adapters keep their references through it. */
export const channelReferences = (db: Db): ChannelReferenceStore => new ChannelReferenceStore(db);
