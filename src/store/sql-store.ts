import { randomUUID } from 'node:crypto';
import { ParleyError } from '../core/errors.ts';
import type { Address, InboundMessage } from '../core/message.ts';
import type { ConversationState } from '../engine/types.ts';
import { phoneOfIdentity } from '../core/phone-identity.ts';
import { runMigrations } from './migrations.ts';
import { json, toConversation, toCustomer, toMessage, type ConversationRow, type CustomerRow, type MessageRow } from './rows.ts';
import { findAnsweredInbound } from './answered-inbound.ts';
import { acceptInbound, commitTurn, loadTurn, storeInbound } from './turn-statements.ts';
import { TurnCache } from './turn-cache.ts';
import { markWaiting, releaseWaiting } from './waiting-replies.ts';
import { serveDataDir, type DataDirServer, type DataDirServerOptions } from './data-dir-server.ts';
import type { AcceptedInbound, CommitTurn, Conversation, Customer, Db, NewOutbound, Queryable, Store, StoredMessage, TranscriptOptions, TurnReads } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MESSAGE_ID = /^[1-9][0-9]{0,18}$/;

/** Page size of `transcript` when the caller gives none, and the most it returns at once. */
export const TRANSCRIPT_DEFAULT_LIMIT = 100;
export const TRANSCRIPT_MAX_LIMIT = 1000;

const INSERT_OUT = `
  INSERT INTO messages (conversation_id, direction, channel, text, buttons, attachments, status, in_reply_to, reply_to_external_id)
  VALUES ($1, 'out', $2, $3, $4::jsonb, $5::jsonb, 'pending', $6,
    (SELECT external_id FROM messages WHERE id = $6 AND direction = 'in' AND channel = $2))
  RETURNING *`;

function emptyState(): ConversationState {
  return { vars: {} };
}

function messageNotFound(id: string): ParleyError {
  return new ParleyError('NOT_FOUND', `No outbound message ${id}`);
}

/**
 * The Store, written once over `Db`: the same SQL runs on PostgreSQL and PGlite.
 * Every "create on first sight" is an INSERT … ON CONFLICT DO NOTHING followed by a read, so concurrent
 * callers, in one process or several, end up with the same row.
 */
export class SqlStore implements Store {
  private readonly db: Db;
  /** Where this process alone writes the database: the turn's reads kept between turns (turn-cache.ts). */
  private readonly turnCache: TurnCache | undefined;

  constructor(db: Db) {
    this.db = db;
    const changes = db.changes?.bind(db);
    this.turnCache = changes && new TurnCache(changes, {
      accept: (message) => acceptInbound(db, message),
      storeInbound: (conversationId, message) => storeInbound(db, conversationId, message),
      commit: (turn) => commitTurn(db, turn),
    });
  }

  repository<R>(open: (db: Db) => R): R {
    return open(this.db);
  }

  /**
   * With the embedded database: answers the command-line tools' SQL on DATA_DIR's socket while this process holds
   * the database (data-dir-server.ts). The only place the database leaves the store but through a repository.
   */
  serveDataDir(options: Omit<DataDirServerOptions, 'db'>): Promise<DataDirServer | undefined> {
    return serveDataDir({ ...options, db: this.db });
  }

  async migrate(): Promise<void> {
    await runMigrations(this.db);
  }

  async ping(): Promise<void> {
    try {
      await this.db.query('SELECT 1');
    } catch (error) {
      if (error instanceof ParleyError) throw error;
      throw new ParleyError('DATABASE_UNAVAILABLE', `The ${this.db.kind} database does not answer`, { cause: error });
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }

  async resolveCustomer(channel: string, externalUserId: string, profile?: { name?: string }): Promise<Customer> {
    const name = profile?.name ?? null;
    const known = await this.customerByIdentity(this.db, channel, externalUserId);
    if (known) {
      if (known.displayName !== null || name === null) return known;
      // Learn the name the first time the channel tells it, never overwrite one already known.
      const updated = await this.db.query<CustomerRow>(
        'UPDATE customers SET display_name = COALESCE(display_name, $2) WHERE id = $1 RETURNING *',
        [known.id, name],
      );
      const row = updated.rows[0];
      return row ? toCustomer(row) : known;
    }
    // A phone number is one person on every phone channel (src/core/phone-identity.ts): a new identity with a
    // number already known joins that number's customer. The advisory lock serializes first sightings of one number.
    const phone = phoneOfIdentity(channel, externalUserId) ?? null;
    return this.db.transaction(async (tx) => {
      let row: CustomerRow | undefined;
      if (phone !== null) {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [phone]);
        const same = await tx.query<CustomerRow>(
          `SELECT c.* FROM identities i JOIN customers c ON c.id = i.customer_id WHERE i.phone = $1 ORDER BY i.created_at LIMIT 1`,
          [phone],
        );
        row = same.rows[0];
      }
      const id = row?.id ?? randomUUID();
      if (!row) row = (await tx.query<CustomerRow>('INSERT INTO customers (id, display_name) VALUES ($1, $2) RETURNING *', [id, name])).rows[0];
      const claimed = await tx.query(
        `INSERT INTO identities (channel, external_id, customer_id, phone) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, external_id) DO NOTHING RETURNING customer_id`,
        [channel, externalUserId, id, phone],
      );
      if (claimed.rowCount === 1 && row) return toCustomer(row);
      // Someone else created this identity meanwhile (ON CONFLICT waited for their commit): use theirs.
      await tx.query('DELETE FROM customers WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM identities WHERE customer_id = $1)', [id]);
      const theirs = await this.customerByIdentity(tx, channel, externalUserId);
      if (!theirs) throw new ParleyError('CONFLICT', `Identity ${channel}/${externalUserId} vanished while being resolved`);
      return theirs;
    });
  }

  async resolveConversation(address: Address, customerId: string): Promise<{ conversation: Conversation; created: boolean }> {
    const known = await this.findConversation(address.channel, address.conversationId);
    if (known) return { conversation: known, created: false };
    const inserted = await this.db.query<ConversationRow>(
      `INSERT INTO conversations (id, channel, external_id, customer_id, address, mode, state, version)
       VALUES ($1, $2, $3, $4, $5::jsonb, 'bot', $6::jsonb, 0)
       ON CONFLICT (channel, external_id) DO NOTHING RETURNING *`,
      [randomUUID(), address.channel, address.conversationId, customerId, json(address), json(emptyState())],
    );
    const row = inserted.rows[0];
    if (row) return { conversation: toConversation(row), created: true };
    const theirs = await this.findConversation(address.channel, address.conversationId);
    if (!theirs) throw new ParleyError('CONFLICT', `Conversation ${address.channel}/${address.conversationId} vanished while being resolved`);
    return { conversation: theirs, created: false };
  }

  async getConversation(id: string): Promise<Conversation | null> {
    if (!UUID.test(id)) return null;
    const result = await this.db.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [id]);
    const row = result.rows[0];
    return row ? toConversation(row) : null;
  }

  async findConversation(channel: string, externalId: string): Promise<Conversation | null> {
    const result = await this.db.query<ConversationRow>('SELECT * FROM conversations WHERE channel = $1 AND external_id = $2', [
      channel,
      externalId,
    ]);
    const row = result.rows[0];
    return row ? toConversation(row) : null;
  }

  async insertInbound(conversationId: string, message: InboundMessage): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const channel = message.address.channel;
    // Retried once: the row we collided with can be deleted (erased) between the INSERT and the SELECT.
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await this.db.query<MessageRow>(
        `INSERT INTO messages (conversation_id, direction, channel, external_id, text, payload, attachments, status)
         VALUES ($1, 'in', $2, $3, $4, $5, $6::jsonb, 'received')
         ON CONFLICT (channel, external_id) DO NOTHING RETURNING *`,
        [conversationId, channel, message.externalId, message.text ?? null, message.payload ?? null, json(message.attachments ?? [])],
      );
      const row = inserted.rows[0];
      if (row) {
        if (message.locale) {
          await this.db.query('UPDATE conversations SET locale = $2 WHERE id = $1 AND locale IS DISTINCT FROM $2', [
            conversationId,
            message.locale,
          ]);
        }
        return { message: toMessage(row), duplicate: false };
      }
      const first = await this.db.query<MessageRow>('SELECT * FROM messages WHERE channel = $1 AND external_id = $2', [
        channel,
        message.externalId,
      ]);
      const firstRow = first.rows[0];
      if (firstRow) return { message: toMessage(firstRow), duplicate: true };
    }
    throw new ParleyError('CONFLICT', `Inbound message ${channel}/${message.externalId} could not be stored`);
  }

  async pendingInbound(conversationId: string): Promise<StoredMessage[]> {
    if (!UUID.test(conversationId)) return [];
    const result = await this.db.query<MessageRow>(
      `SELECT * FROM messages WHERE conversation_id = $1 AND direction = 'in' AND status = 'received' ORDER BY id`,
      [conversationId],
    );
    return result.rows.map(toMessage);
  }

  async conversationsWithPendingInbound(limit: number): Promise<string[]> {
    const result = await this.db.query<{ conversation_id: string }>(
      `SELECT conversation_id FROM messages WHERE direction = 'in' AND status = 'received'
       GROUP BY conversation_id ORDER BY min(id) LIMIT $1`,
      [limit],
    );
    return result.rows.map((row) => row.conversation_id);
  }

  async acceptInbound(message: InboundMessage): Promise<AcceptedInbound | null> {
    if (this.turnCache) return this.turnCache.accept(message);
    return (await acceptInbound(this.db, message))?.read ?? null;
  }

  async loadTurn(conversationId: string, inboundId: string | null): Promise<{ conversation: Conversation; reads: TurnReads } | null> {
    if (!UUID.test(conversationId) || (inboundId !== null && !MESSAGE_ID.test(inboundId))) return null;
    return loadTurn(this.db, conversationId, inboundId);
  }

  async commitTurn(turn: CommitTurn): Promise<{ conversation: Conversation; replies: StoredMessage[] }> {
    if (!UUID.test(turn.conversationId)) throw new ParleyError('NOT_FOUND', `No conversation ${turn.conversationId}`);
    if (turn.inboundId !== null && !MESSAGE_ID.test(turn.inboundId)) {
      throw new ParleyError('NOT_FOUND', `No inbound message ${turn.inboundId}`);
    }
    return this.turnCache ? this.turnCache.commit(turn) : commitTurn(this.db, turn);
  }

  async insertOutbound(conversationId: string, message: NewOutbound): Promise<StoredMessage> {
    const conversation = await this.getConversation(conversationId);
    if (!conversation) throw new ParleyError('NOT_FOUND', `No conversation ${conversationId}`);
    return this.insertOut(this.db, conversation.id, conversation.channel, message, null);
  }

  async insertStarted(conversation: Conversation, message: NewOutbound, purpose: string): Promise<StoredMessage> {
    const result = await this.db.query<MessageRow>(
      `INSERT INTO messages (conversation_id, direction, channel, text, buttons, attachments, status, purpose)
       VALUES ($1, 'out', $2, $3, $4::jsonb, $5::jsonb, 'pending', $6) RETURNING *`,
      [conversation.id, conversation.channel, message.text, json(message.buttons ?? []), json(message.attachments ?? []), purpose],
    );
    return toMessage(result.rows[0]!);
  }

  async setPurpose(messageId: string, purpose: string): Promise<void> {
    await this.db.query('UPDATE messages SET purpose = $2 WHERE id = $1', [messageId, purpose]);
  }

  async movePending(messageId: string, target: Conversation): Promise<StoredMessage | null> {
    const result = await this.db.query<MessageRow>(
      `UPDATE messages SET conversation_id = $2, channel = $3 WHERE id = $1 AND status = 'pending' RETURNING *`,
      [messageId, target.id, target.channel],
    );
    const row = result.rows[0];
    return row ? toMessage(row) : null;
  }

  async flowVersionsInFlight(): Promise<string[]> {
    const result = await this.db.query<{ version: string }>(
      "SELECT DISTINCT state->>'flowVersion' AS version FROM conversations WHERE state ? 'flow' AND state ? 'flowVersion'",
    );
    return result.rows.map((row) => row.version);
  }

  async latestConversation(customerId: string, channel: string): Promise<Conversation | null> {
    const result = await this.db.query<ConversationRow>(
      `SELECT c.* FROM conversations c WHERE c.customer_id = $1 AND c.channel = $2
       ORDER BY (SELECT max(m.id) FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in') DESC NULLS LAST, c.updated_at DESC
       LIMIT 1`,
      [customerId, channel],
    );
    const row = result.rows[0];
    return row ? toConversation(row) : null;
  }

  async channelsByRecency(customerId: string): Promise<string[]> {
    const result = await this.db.query<{ channel: string }>(
      `SELECT c.channel FROM conversations c LEFT JOIN messages m ON m.conversation_id = c.id AND m.direction = 'in'
       WHERE c.customer_id = $1 GROUP BY c.channel ORDER BY max(m.id) DESC NULLS LAST`,
      [customerId],
    );
    return result.rows.map((row) => row.channel);
  }

  async pendingReplyCount(): Promise<number> {
    const result = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE direction = 'out' AND status = 'pending'`);
    return Number(result.rows[0]?.n ?? 0);
  }

  async repliesTo(inboundId: string): Promise<StoredMessage[]> {
    if (!MESSAGE_ID.test(inboundId)) return [];
    const result = await this.db.query<MessageRow>('SELECT * FROM messages WHERE in_reply_to = $1 ORDER BY id', [inboundId]);
    return result.rows.map(toMessage);
  }

  async transcript(conversationId: string, options: TranscriptOptions = {}): Promise<StoredMessage[]> {
    if (!UUID.test(conversationId)) return [];
    if (options.afterId !== undefined && !MESSAGE_ID.test(options.afterId)) {
      throw new ParleyError('BAD_REQUEST', `afterId must be a message id, got ${JSON.stringify(options.afterId)}`);
    }
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? TRANSCRIPT_DEFAULT_LIMIT), 1), TRANSCRIPT_MAX_LIMIT);
    if (options.latest) {
      const result = await this.db.query<MessageRow>(
        `SELECT * FROM (SELECT * FROM messages WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2) AS latest ORDER BY id`,
        [conversationId, limit],
      );
      return result.rows.map(toMessage);
    }
    const result = await this.db.query<MessageRow>(
      `SELECT * FROM messages WHERE conversation_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [conversationId, options.afterId ?? '0', limit],
    );
    return result.rows.map(toMessage);
  }

  async markSent(messageId: string, externalId?: string): Promise<void> {
    if (!MESSAGE_ID.test(messageId)) throw messageNotFound(messageId);
    const result = await this.db.query(
      `UPDATE messages SET status = 'sent', sent_at = now(), external_id = COALESCE($2, external_id)
       WHERE id = $1 AND direction = 'out'`,
      [messageId, externalId ?? null],
    );
    if (result.rowCount !== 1) throw messageNotFound(messageId);
  }

  async markAllSent(messageIds: readonly string[]): Promise<number> {
    const ids = messageIds.filter((id) => MESSAGE_ID.test(id));
    if (ids.length === 0) return 0;
    const result = await this.db.query(
      `UPDATE messages SET status = 'sent', sent_at = now() WHERE id = ANY($1::bigint[]) AND direction = 'out'`,
      [ids],
      { prepared: true, turnStatement: true },
    );
    return result.rowCount;
  }

  async markAttemptFailed(messageId: string, error: string, final: boolean): Promise<void> {
    if (!MESSAGE_ID.test(messageId)) throw messageNotFound(messageId);
    // A late failure report never turns a message that was sent into a failed one.
    const result = await this.db.query(
      `UPDATE messages SET attempts = attempts + 1, last_error = $2,
         status = CASE WHEN $3::boolean AND status = 'pending' THEN 'failed' ELSE status END
       WHERE id = $1 AND direction = 'out'`,
      [messageId, error, final],
    );
    if (result.rowCount !== 1) throw messageNotFound(messageId);
  }

  async recordDeliveryStatus(
    channel: string,
    externalId: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    error?: string,
  ): Promise<boolean> {
    // Channels report out of order (a `read` can overtake its `delivered`): a status never moves backwards.
    const result = await this.db.query(
      `UPDATE messages SET
         delivery_status = CASE
           WHEN $3::text = 'failed' OR delivery_status IS NULL THEN $3::text
           WHEN delivery_status = 'failed' THEN delivery_status
           WHEN array_position(ARRAY['sent', 'delivered', 'read'], $3::text) > array_position(ARRAY['sent', 'delivered', 'read'], delivery_status)
             THEN $3::text
           ELSE delivery_status END,
         delivery_status_at = now(),
         status = CASE WHEN $3::text = 'failed' THEN 'failed' ELSE status END,
         last_error = CASE WHEN $3::text = 'failed' THEN $4::text ELSE last_error END
       WHERE channel = $1 AND external_id = $2 AND direction = 'out'`,
      [channel, externalId, status, error ?? `the channel reported the message as ${status}`],
    );
    return result.rowCount > 0;
  }

  async lastInboundAt(channel: string, conversationExternalId: string): Promise<Date | null> {
    const result = await this.db.query<{ at: Date | null }>(
      `SELECT max(m.created_at) AS at FROM conversations c JOIN messages m ON m.conversation_id = c.id
       WHERE c.channel = $1 AND c.external_id = $2 AND m.direction = 'in'`,
      [channel, conversationExternalId],
    );
    return result.rows[0]?.at ?? null;
  }

  async pendingOutbound(olderThan: Date, limit: number): Promise<StoredMessage[]> {
    const result = await this.db.query<MessageRow>(
      `SELECT * FROM messages WHERE direction = 'out' AND status = 'pending' AND created_at < $1
         AND delivery_status IS DISTINCT FROM 'waiting'
       ORDER BY created_at, id LIMIT $2`,
      [olderThan, limit],
    );
    return result.rows.map(toMessage);
  }

  private async customerByIdentity(q: Queryable, channel: string, externalUserId: string): Promise<Customer | null> {
    const result = await q.query<CustomerRow>(
      `SELECT c.* FROM identities i JOIN customers c ON c.id = i.customer_id WHERE i.channel = $1 AND i.external_id = $2`,
      [channel, externalUserId],
    );
    const row = result.rows[0];
    return row ? toCustomer(row) : null;
  }

  private async insertOut(
    q: Queryable,
    conversationId: string,
    channel: string,
    message: NewOutbound,
    inReplyTo: string | null,
  ): Promise<StoredMessage> {
    const result = await q.query<MessageRow>(INSERT_OUT, [
      conversationId,
      channel,
      message.text,
      json(message.buttons ?? []),
      json(message.attachments ?? []),
      inReplyTo,
    ]);
    const row = result.rows[0];
    if (!row) throw new Error('INSERT … RETURNING returned no row');
    return toMessage(row);
  }

  markWaiting(messageId: string, reason: string): Promise<void> {
    return markWaiting(this.db, messageId, reason);
  }

  releaseWaiting(conversationId: string): Promise<StoredMessage[]> {
    return releaseWaiting(this.db, conversationId);
  }

  answeredInbound(channel: string, externalId: string): Promise<StoredMessage | null> {
    return findAnsweredInbound(this.db, channel, externalId);
  }
}
