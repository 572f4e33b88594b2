import { toMessage, type MessageRow } from './rows.ts';
import type { Queryable, StoredMessage } from './types.ts';

/**
 * Replies a channel may not send yet (WhatsApp outside its 24-hour window) stay pending, marked with the delivery
 * status `waiting` and the reason in `last_error`. They are not attempts: nothing counts towards failure, the sweep
 * leaves them alone, and they go out, in order, when the customer writes again.
 */
export const WAITING = 'waiting';

/** Marks a pending reply as waiting for the customer; a reply sent or failed meanwhile is left as it is. */
export async function markWaiting(db: Queryable, messageId: string, reason: string): Promise<void> {
  await db.query(
    `UPDATE messages SET delivery_status = $2, delivery_status_at = now(), last_error = $3
     WHERE id = $1 AND direction = 'out' AND status = 'pending'`,
    [messageId, WAITING, reason],
  );
}

/** Takes the waiting mark off the conversation's waiting replies and returns them, oldest first, to be sent again. */
export async function releaseWaiting(db: Queryable, conversationId: string): Promise<StoredMessage[]> {
  const result = await db.query<MessageRow>(
    `UPDATE messages SET delivery_status = NULL, delivery_status_at = now(), last_error = NULL
     WHERE conversation_id = $1 AND direction = 'out' AND status = 'pending' AND delivery_status = $2
     RETURNING *`,
    [conversationId, WAITING],
  );
  return result.rows.map(toMessage).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}
