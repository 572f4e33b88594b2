import { toMessage, type MessageRow } from './rows.ts';
import type { Queryable, StoredMessage } from './types.ts';

/**
 * The inbound message a channel already delivered and Parley already answered (its turn committed), if any. A
 * redelivery of it can be answered from the store at once, without waiting for the conversation's lock.
 */
export async function findAnsweredInbound(db: Queryable, channel: string, externalId: string): Promise<StoredMessage | null> {
  const result = await db.query<MessageRow>(
    `SELECT * FROM messages WHERE channel = $1 AND external_id = $2 AND direction = 'in' AND status = 'processed'`,
    [channel, externalId],
  );
  const row = result.rows[0];
  return row ? toMessage(row) : null;
}
