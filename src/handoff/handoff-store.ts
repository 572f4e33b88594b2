import { ParleyError } from '../core/errors.ts';
import { toMessage, type MessageRow } from '../store/rows.ts';
import type { Db, StoredMessage } from '../store/types.ts';
import { INSERT_AGENT_REPLY, toHandoff, type Handoff, type HandoffRow, type NewHandoff } from './handoff-rows.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The handoff module's repository: the handoffs table (migration 0003; one row per handoff, at most one open per
 * conversation) and the tables beside it. Built by `store.repository(handoffRepository)`.
 */
export class HandoffStore {
  constructor(private readonly db: Db) {}

  /** Inserts the handoff; when the conversation already has an open one, returns that one instead. */
  async insert(handoff: NewHandoff): Promise<{ handoff: Handoff; created: boolean }> {
    const inserted = await this.db.query<HandoffRow>(
      `INSERT INTO handoffs (id, conversation_id, queue, trigger, reason, priority, context, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
       ON CONFLICT (conversation_id) WHERE status <> 'resolved' DO NOTHING RETURNING *`,
      [handoff.id, handoff.conversationId, handoff.queue, handoff.trigger, handoff.reason, handoff.priority,
        JSON.stringify(handoff.context), handoff.createdAt],
    );
    const row = inserted.rows[0];
    if (row) return { handoff: toHandoff(row), created: true };
    const open = await this.openFor(handoff.conversationId);
    if (!open) throw new ParleyError('CONFLICT', `conversation ${handoff.conversationId} has a handoff that vanished`);
    return { handoff: open, created: false };
  }

  async get(id: string): Promise<Handoff | null> {
    if (!UUID.test(id)) return null;
    return this.one('SELECT * FROM handoffs WHERE id = $1', [id]);
  }

  /** Several handoffs by id in one statement (the queue's worker announcing a burst); unknown ids are left out. */
  async getMany(ids: readonly string[]): Promise<Map<string, Handoff>> {
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return new Map();
    const found = await this.many('SELECT * FROM handoffs WHERE id = ANY($1::uuid[])', [valid]);
    return new Map(found.map((handoff) => [handoff.id, handoff]));
  }

  openFor(conversationId: string): Promise<Handoff | null> {
    return this.one(`SELECT * FROM handoffs WHERE conversation_id = $1 AND status <> 'resolved'`, [conversationId]);
  }

  /** Open handoffs of these queues: waiting ones in the order they are served, then claimed ones. */
  async listOpen(queues: readonly string[], limit = 200): Promise<Handoff[]> {
    const result = await this.db.query<HandoffRow>(
      `SELECT * FROM handoffs WHERE status <> 'resolved' AND queue = ANY($1::text[])
       ORDER BY status DESC, priority, created_at LIMIT $2`,
      [[...queues], limit],
    );
    return result.rows.map(toHandoff);
  }

  /** 1 for the next one an agent of its queue will take. */
  async position(handoff: Handoff): Promise<number> {
    const result = await this.db.query<{ ahead: string }>(
      `SELECT count(*) AS ahead FROM handoffs WHERE status = 'waiting' AND queue = $1 AND id <> $4
         AND (priority < $2 OR (priority = $2 AND created_at < $3))`,
      [handoff.queue, handoff.priority, handoff.createdAt, handoff.id],
    );
    return Number(result.rows[0]?.ahead ?? 0) + 1;
  }

  /** The place a new handoff of this priority would take in the queue. */
  async nextPosition(queue: string, priority: number): Promise<number> {
    const result = await this.db.query<{ ahead: string }>(
      `SELECT count(*) AS ahead FROM handoffs WHERE status = 'waiting' AND queue = $1 AND priority <= $2`, [queue, priority]);
    return Number(result.rows[0]?.ahead ?? 0) + 1;
  }

  async markAnnounced(...ids: string[]): Promise<void> {
    // Prepared: the worker runs it for every batch of handoffs it announces.
    await this.db.query('UPDATE handoffs SET announced_at = COALESCE(announced_at, now()) WHERE id = ANY($1::uuid[])', [ids], { prepared: true });
  }

  /** Handoffs accepted but never announced to the desks (Redis was down when they were enqueued). */
  async unannounced(olderThan: Date, limit = 100): Promise<Handoff[]> {
    return this.many(`SELECT * FROM handoffs WHERE announced_at IS NULL AND status <> 'resolved' AND created_at < $1
      ORDER BY created_at LIMIT $2`, [olderThan, limit]);
  }

  async setDeskRef(id: string, key: string, value: string): Promise<void> {
    await this.db.query(`UPDATE handoffs SET desk_refs = desk_refs || jsonb_build_object($2::text, $3::text) WHERE id = $1`, [id, key, value]);
  }

  findByDeskRef(key: string, value: string): Promise<Handoff | null> {
    return this.one(`SELECT * FROM handoffs WHERE desk_refs ->> $1 = $2 ORDER BY created_at DESC LIMIT 1`, [key, value]);
  }

  /** Claims a waiting handoff; claiming one's own claim again is fine. Null when someone else has it or it is over. */
  claim(id: string, agent: { id: string; name: string }): Promise<Handoff | null> {
    return this.one(
      `UPDATE handoffs SET status = 'claimed', agent_id = $2, agent_name = $3, claimed_at = COALESCE(claimed_at, now())
       WHERE id = $1 AND (status = 'waiting' OR (status = 'claimed' AND agent_id = $2)) RETURNING *`,
      [id, agent.id, agent.name],
    );
  }

  /** Gives an open handoff to this agent, whoever had it; null when it is resolved. */
  assign(id: string, agent: { id: string; name: string }): Promise<Handoff | null> {
    return this.one(
      `UPDATE handoffs SET status = 'claimed', agent_id = $2, agent_name = $3, claimed_at = now()
       WHERE id = $1 AND status <> 'resolved' RETURNING *`,
      [id, agent.id, agent.name],
    );
  }

  /**
   * Moves an open handoff to another queue, where it waits again for an agent of that queue; null when it is resolved.
   * The wait there is a new one: the queue notices back off from the start again, and the offer to leave a message
   * comes when nobody of that queue has taken it for a while.
   */
  transfer(id: string, queue: string): Promise<Handoff | null> {
    return this.one(
      `UPDATE handoffs SET queue = $2, status = 'waiting', agent_id = NULL, agent_name = NULL, claimed_at = NULL,
         waiting_since = now(), last_notice_at = NULL, offered_message_at = NULL,
         context = jsonb_set(context, '{queue}', to_jsonb($2::text))
       WHERE id = $1 AND status <> 'resolved' RETURNING *`,
      [id, queue],
    );
  }

  /** Records that these messages were the handoff's notices (the agent's transcript shows them as such). */
  async recordNotices(handoffId: string, messageIds: readonly string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.db.query(
      `INSERT INTO handoff_notices (message_id, handoff_id) SELECT unnest($1::bigint[]), $2 ON CONFLICT DO NOTHING`, [[...messageIds], handoffId]);
  }

  /** Ids of the conversation's messages that were handoff notices. */
  async noticeIds(conversationId: string): Promise<Set<string>> {
    const result = await this.db.query<{ message_id: string }>(
      `SELECT n.message_id FROM handoff_notices n JOIN handoffs h ON h.id = n.handoff_id WHERE h.conversation_id = $1`, [conversationId]);
    return new Set(result.rows.map((row) => String(row.message_id)));
  }

  /** Who wrote each agent reply of the conversation, by message id. */
  async replyAuthors(conversationId: string): Promise<Map<string, string>> {
    const result = await this.db.query<{ message_id: string; agent_id: string }>(
      `SELECT r.message_id, r.agent_id FROM handoff_replies r JOIN handoffs h ON h.id = r.handoff_id WHERE h.conversation_id = $1`, [conversationId]);
    return new Map(result.rows.map((row) => [String(row.message_id), row.agent_id]));
  }

  /** Resolves an open handoff and opens its rating; null when it is already resolved. */
  resolve(id: string, agent: { id: string; name: string }, outcome: string): Promise<Handoff | null> {
    return this.one(
      `UPDATE handoffs SET status = 'resolved', outcome = $3, resolved_at = now(), rating_asked_at = now(),
         agent_id = COALESCE(agent_id, $2), agent_name = COALESCE(agent_name, $4)
       WHERE id = $1 AND status <> 'resolved' RETURNING *`,
      [id, agent.id, outcome, agent.name],
    );
  }

  /** Stores the rating (null: the customer moved on without one) and closes the question. */
  async closeRating(id: string, rating: number | null): Promise<void> {
    await this.db.query('UPDATE handoffs SET rating = $2, rating_closed_at = now() WHERE id = $1 AND rating_closed_at IS NULL', [id, rating]);
  }

  /**
   * Waiting handoffs due for another queue notice, each returned to one caller only. The waits back off: `firstMs`
   * after the handoff (or its transfer), then twice the previous wait each time (2, 4, 8, 16 minutes from 2), at most
   * `maxMs`. The wait after a look is the time from the start of the wait to that look plus `firstMs`, so no count
   * needs storing.
   */
  takeDueNotices(firstMs: number, maxMs: number, limit = 50): Promise<Handoff[]> {
    return this.many(
      `UPDATE handoffs SET last_notice_at = now() WHERE id IN (
         SELECT id FROM handoffs WHERE status = 'waiting' AND offered_message_at IS NULL
           AND COALESCE(last_notice_at, waiting_since, created_at) < now() - LEAST($2::float8,
             extract(epoch FROM COALESCE(last_notice_at, waiting_since, created_at) - COALESCE(waiting_since, created_at)) * 1000 + $1::float8) * interval '1 millisecond'
         ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING *`,
      [firstMs, maxMs, limit],
    );
  }

  /**
   * What the customer was told since the handoff began waiting in its queue, oldest first: the turn's "you are number
   * N" (a reply of the turn, stored just after the handoff) and the notices after it; after a transfer, from the
   * notice that they are passed to a colleague.
   */
  async toldSince(handoff: Handoff): Promise<string[]> {
    const result = await this.db.query<{ text: string | null }>(
      `SELECT text FROM messages WHERE conversation_id = $1 AND direction = 'out' AND created_at >= $2::timestamptz - interval '2 seconds'
       ORDER BY id`, [handoff.conversationId, handoff.waitingSince]);
    return result.rows.map((row) => row.text ?? '');
  }

  /** The median time (minutes, rounded up) handoffs of the queue waited to be claimed lately; null with fewer than 3. */
  async typicalWaitMinutes(queue: string, since: Date): Promise<number | null> {
    const result = await this.db.query<{ n: string; median: number | null }>(
      `SELECT count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM claimed_at - created_at)) AS median
       FROM handoffs WHERE queue = $1 AND claimed_at IS NOT NULL AND claimed_at >= $2`,
      [queue, since],
    );
    const row = result.rows[0];
    if (!row || Number(row.n) < 3 || row.median === null) return null;
    return Math.max(1, Math.ceil(Number(row.median) / 60));
  }

  /** The customer was offered to leave a message (outside opening hours, at once): no queue notices repeat after it. */
  async markOffered(id: string): Promise<void> {
    await this.db.query('UPDATE handoffs SET offered_message_at = COALESCE(offered_message_at, now()), last_notice_at = now() WHERE id = $1', [id]);
  }

  /** Waiting handoffs unclaimed for `afterMs` whose customer was not yet offered to leave a message; each once. */
  takeDueOffers(afterMs: number, limit = 50): Promise<Handoff[]> {
    return this.many(
      `UPDATE handoffs SET offered_message_at = now(), last_notice_at = now() WHERE id IN (
         SELECT id FROM handoffs WHERE status = 'waiting' AND offered_message_at IS NULL
           AND COALESCE(waiting_since, created_at) < now() - $1 * interval '1 millisecond'
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING *`,
      [afterMs, limit],
    );
  }

  /** Conversations with a person but without an open handoff, untouched since `olderThan`. */
  async orphans(olderThan: Date, limit = 50): Promise<string[]> {
    const result = await this.db.query<{ id: string }>(
      `SELECT c.id FROM conversations c WHERE c.mode = 'human' AND c.updated_at < $1
         AND NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id AND h.status <> 'resolved') LIMIT $2`,
      [olderThan, limit],
    );
    return result.rows.map((row) => row.id);
  }

  /**
   * Stores an agent's reply as a pending outbound message, once per `key` (the console's message id, Slack's
   * event id): the dedupe record and the message are written in one transaction, so a retried request never
   * stores the reply twice and a crash never stores half of it.
   */
  async insertAgentReply(handoff: Handoff, key: string, agent: { id: string; name: string }, channel: string, text: string): Promise<{ message: StoredMessage; duplicate: boolean }> {
    return this.db.transaction(async (tx) => {
      const known = await tx.query<{ message_id: string }>('SELECT message_id FROM handoff_replies WHERE handoff_id = $1 AND key = $2', [handoff.id, key]);
      const knownId = known.rows[0]?.message_id;
      if (knownId !== undefined) {
        const previous = await tx.query<MessageRow>('SELECT * FROM messages WHERE id = $1', [knownId]);
        return { message: toMessage(previous.rows[0]!), duplicate: true };
      }
      const inserted = await tx.query<MessageRow>(INSERT_AGENT_REPLY, [handoff.conversationId, channel, text, agent.name]);
      const message = toMessage(inserted.rows[0]!);
      const recorded = await tx.query(
        'INSERT INTO handoff_replies (handoff_id, key, message_id, agent_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [handoff.id, key, message.id, agent.id],
      );
      // A concurrent request with the same key won the race: undo ours by failing the transaction.
      if (recorded.rowCount !== 1) throw new ParleyError('CONFLICT', 'the same reply is being stored by another request');
      return { message, duplicate: false };
    });
  }

  /**
   * Agents' replies in this conversation's handoffs that now live in another conversation of the customer: a reply
   * sent after the customer left the web chat goes out on their other channel and moves with it (outbound-router.ts).
   */
  async agentRepliesElsewhere(conversationId: string): Promise<StoredMessage[]> {
    const result = await this.db.query<MessageRow>(
      `SELECT m.* FROM handoff_replies r JOIN handoffs h ON h.id = r.handoff_id JOIN messages m ON m.id = r.message_id
       WHERE h.conversation_id = $1 AND m.conversation_id <> $1 ORDER BY m.id`,
      [conversationId],
    );
    return result.rows.map(toMessage);
  }

  /** Which of these messages are agents' replies (for the customers module: they follow the customer's preferred channel). */
  async agentReplies(messageIds: readonly string[]): Promise<Set<string>> {
    const agents = await this.db.query<{ message_id: string }>('SELECT message_id FROM handoff_replies WHERE message_id = ANY($1::bigint[])', [[...messageIds]]);
    return new Set(agents.rows.map((r) => String(r.message_id)));
  }

  /**
   * Whether the customer has a handoff in one of these queues (for the customers module's agent link check). Joins
   * the handoffs with the conversations they belong to, as the handoff module's other lists do.
   */
  async hasHandoffIn(customerId: string, queues: readonly string[]): Promise<boolean> {
    const result = await this.db.query(
      `SELECT 1 FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE c.customer_id = $1 AND h.queue = ANY($2::text[]) LIMIT 1`,
      [customerId, [...queues]]);
    return result.rowCount > 0;
  }

  /** Resolved handoffs older than `olderThan` of which the desk keeps a copy, oldest first (transcript retention). */
  async oldDeskCopies(desk: string, olderThan: Date, limit: number): Promise<{ id: string; deskRefs: Readonly<Record<string, string>> }[]> {
    const old = await this.db.query<{ id: string; desk_refs: Record<string, string> }>(
      `SELECT id, desk_refs FROM handoffs WHERE status = 'resolved' AND created_at < $1 AND desk_refs ? $2 ORDER BY created_at LIMIT $3`,
      [olderThan, desk, limit]);
    return old.rows.map((row) => ({ id: row.id, deskRefs: row.desk_refs }));
  }

  /** Forgets the desk's copies of these handoffs (they were deleted there). */
  async dropDeskRefs(handoffIds: readonly string[], desk: string): Promise<void> {
    await this.db.query('UPDATE handoffs SET desk_refs = desk_refs - $2::text WHERE id = ANY($1::uuid[])', [[...handoffIds], desk]);
  }

  /** How many handoffs wait for an agent, and how long the longest-waiting one has waited (0 when none waits). */
  async waitingCount(): Promise<{ count: number; oldestSeconds: number }> {
    const result = await this.db.query<{ n: string; s: number | null }>(
      `SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS s FROM handoffs WHERE status = 'waiting'`);
    return { count: Number(result.rows[0]?.n ?? 0), oldestSeconds: Number(result.rows[0]?.s ?? 0) };
  }

  /** Ids of the conversation's messages that agents wrote. */
  async agentMessageIds(conversationId: string): Promise<Set<string>> {
    const result = await this.db.query<{ message_id: string }>(
      `SELECT r.message_id FROM handoff_replies r JOIN handoffs h ON h.id = r.handoff_id WHERE h.conversation_id = $1`,
      [conversationId],
    );
    return new Set(result.rows.map((row) => String(row.message_id)));
  }

  private async one(sql: string, params: unknown[]): Promise<Handoff | null> {
    const result = await this.db.query<HandoffRow>(sql, params);
    const row = result.rows[0];
    return row ? toHandoff(row) : null;
  }

  private async many(sql: string, params: unknown[]): Promise<Handoff[]> {
    const result = await this.db.query<HandoffRow>(sql, params);
    return result.rows.map(toHandoff);
  }
}

/** For `store.repository`. */
export const handoffRepository = (db: Db): HandoffStore => new HandoffStore(db);
