/**
 * The turn's one read and one write (issue 19): each a single SQL statement, so each is one round trip on
 * PostgreSQL (and one call into PGlite), and each atomic on its own. Rows come back as jsonb and are turned into the
 * store's types here; bigint ids are sent as text so that none loses digits in JSON.
 */
import { ParleyError } from '../core/errors.ts';
import type { InboundMessage } from '../core/message.ts';
import { json, toConversation, toMessage, type ConversationRow, type MessageRow } from './rows.ts';
import { TURN_CUSTOMER, type AcceptedInbound, type CommitTurn, type Conversation, type Queryable, type StoredMessage, type TurnReads, type TurnWrite } from './types.ts';

/** A message row as jsonb, its ids as text. */
const MESSAGE_JSON = (alias: string) => `to_jsonb(${alias}) || jsonb_build_object('id', ${alias}.id::text, 'in_reply_to', ${alias}.in_reply_to::text)`;

/** How long a fact lives when its part says nothing: a day after the turn that set it. */
export const DEFAULT_FACT_TTL_SECONDS = 24 * 3600;

/**
 * The parts' reads for the conversation `conv` (a CTE of one conversations row), `$1` being its channel; `other`
 * is the condition on an inbound message `m` that makes it one other than this turn's.
 */
function readColumns(other: string): string {
  return `
    (SELECT jsonb_object_agg(purpose, state) FROM (
       SELECT DISTINCT ON (purpose) purpose, state FROM consent_events
       WHERE customer_id = (SELECT customer_id FROM conv) AND channel = (SELECT channel FROM conv) ORDER BY purpose, id DESC) AS now) AS consent,
    (SELECT last_channel FROM customers WHERE id = (SELECT customer_id FROM conv)) AS last_channel,
    (SELECT jsonb_build_object('handoffId', handoff_id) FROM conversation_ratings
       WHERE conversation_id = (SELECT id FROM conv) AND closed_at IS NULL) AS open_rating,
    EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = (SELECT id FROM conv) AND m.direction = 'in' AND ${other}) AS wrote_before,
    (SELECT jsonb_object_agg(key, value) FROM conversation_facts
       WHERE conversation_id = (SELECT id FROM conv) AND expires_at > now()) AS facts,
    (SELECT min(expires_at) FROM conversation_facts WHERE conversation_id = (SELECT id FROM conv) AND expires_at > now()) AS facts_expire_at`;
}

interface ReadRow {
  consent: Record<string, 'granted' | 'withdrawn'> | null;
  last_channel: string | null;
  open_rating: { handoffId: string | null } | null;
  wrote_before: boolean;
  facts: Record<string, unknown> | null;
  facts_expire_at: string | null;
}

/** What the turn's first read returned, and when the first of its facts expires (null: none), for the turn cache. */
export interface ReadTurn<T> {
  read: T;
  factsExpireAt: Date | null;
}

function toReads(row: ReadRow): TurnReads {
  return { consent: row.consent ?? {}, lastChannel: row.last_channel, openRating: row.open_rating, wroteBefore: row.wrote_before, facts: row.facts ?? {} };
}

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

function date(value: string | null | undefined): Date | null {
  return value == null ? null : new Date(value);
}

export function messageFromJson(row: Json<MessageRow>): StoredMessage {
  return toMessage({ ...row, created_at: date(row.created_at)!, sent_at: date(row.sent_at) });
}

export function conversationFromJson(row: Json<ConversationRow>): Conversation {
  return toConversation({ ...row, created_at: date(row.created_at)!, updated_at: date(row.updated_at)! });
}

/**
 * Stores the customer's message in the conversation at its address (unless the channel delivered it before) and
 * reads what the turn needs, in one statement. Every sub-statement sees the database as it was before the statement:
 * the pending messages read here do not include the one inserted, which is added to them below.
 */
const ACCEPT = `
  WITH conv AS (
    SELECT * FROM conversations WHERE channel = $1 AND external_id = $2
  ), ident AS (
    SELECT i.customer_id, c.display_name FROM identities i JOIN customers c ON c.id = i.customer_id
    WHERE i.channel = $1 AND i.external_id = $3
  ), existing AS (
    SELECT * FROM messages WHERE channel = $1 AND external_id = $4
  ), inserted AS (
    INSERT INTO messages (conversation_id, direction, channel, external_id, text, payload, attachments, status)
    SELECT conv.id, 'in', $1, $4, $5, $6, $7::jsonb, 'received' FROM conv
    WHERE EXISTS (SELECT 1 FROM ident) AND NOT EXISTS (SELECT 1 FROM existing)
    ON CONFLICT (channel, external_id) DO NOTHING
    RETURNING *
  ), located AS (
    UPDATE conversations SET locale = $8 WHERE id IN (SELECT conversation_id FROM inserted) AND $8::text IS NOT NULL AND locale IS DISTINCT FROM $8
    RETURNING locale
  ), named AS (
    -- Learn the name the first time the channel tells it, never overwrite one already known.
    UPDATE customers SET display_name = $9 WHERE id IN (SELECT customer_id FROM ident WHERE display_name IS NULL) AND $9::text IS NOT NULL
  )
  SELECT
    (SELECT to_jsonb(conv) FROM conv) AS conversation,
    (SELECT locale FROM located) AS locale,
    EXISTS (SELECT 1 FROM ident) AS known,
    (SELECT ${MESSAGE_JSON('m')} FROM inserted m) AS inserted,
    (SELECT ${MESSAGE_JSON('m')} FROM existing m) AS existing,
    (SELECT jsonb_agg(${MESSAGE_JSON('r')} ORDER BY r.id) FROM messages r
       WHERE r.in_reply_to = (SELECT id FROM existing WHERE status = 'processed')) AS replies,
    (SELECT jsonb_agg(${MESSAGE_JSON('p')} ORDER BY p.id) FROM messages p
       WHERE p.conversation_id = (SELECT id FROM conv) AND p.direction = 'in' AND p.status = 'received') AS pending,
    ${readColumns('m.external_id IS DISTINCT FROM $4')}`;

interface AcceptRow extends ReadRow {
  conversation: Json<ConversationRow> | null;
  locale: string | null;
  known: boolean;
  inserted: Json<MessageRow> | null;
  existing: Json<MessageRow> | null;
  replies: Json<MessageRow>[] | null;
  pending: Json<MessageRow>[] | null;
}

/** See Store.acceptInbound. Retried once: the row we collided with can be erased between the statements. */
export async function acceptInbound(db: Queryable, message: InboundMessage): Promise<ReadTurn<AcceptedInbound> | null> {
  const { address } = message;
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = await db.query<AcceptRow>(ACCEPT, [
      address.channel, address.conversationId, address.userId, message.externalId, message.text ?? null, message.payload ?? null,
      json(message.attachments ?? []), message.locale ?? null, message.profile?.name ?? null,
    ], { prepared: true, turnStatement: true });
    const row = result.rows[0];
    if (!row?.conversation || !row.known) return null;
    const found = row.inserted ?? row.existing;
    // Neither: another delivery of the same message was being stored at the same moment; it has committed now.
    if (!found) continue;
    const conversation = conversationFromJson(row.conversation);
    if (row.locale !== null) conversation.locale = row.locale;
    const pending = (row.pending ?? []).map(messageFromJson);
    if (row.inserted) pending.push(messageFromJson(row.inserted));
    const accepted = {
      conversation, inbound: messageFromJson(found), duplicate: row.inserted === null, replies: (row.replies ?? []).map(messageFromJson),
      pending, reads: toReads(row),
    };
    return { read: accepted, factsExpireAt: date(row.facts_expire_at) };
  }
  throw new ParleyError('CONFLICT', `Inbound message ${address.channel}/${message.externalId} could not be stored`);
}

const STORE_INBOUND = `
  INSERT INTO messages (conversation_id, direction, channel, external_id, text, payload, attachments, status)
  VALUES ($1, 'in', $2, $3, $4, $5, $6::jsonb, 'received')
  ON CONFLICT (channel, external_id) DO NOTHING
  RETURNING ${MESSAGE_JSON('messages')} AS inserted`;

/**
 * The accept's write alone, for a conversation whose reads the caller holds (turn-cache.ts): stores the customer's
 * message in the conversation; null when the channel delivered it before (or another delivery is being stored).
 */
export async function storeInbound(db: Queryable, conversationId: string, message: InboundMessage): Promise<StoredMessage | null> {
  const result = await db.query<{ inserted: Json<MessageRow> }>(STORE_INBOUND, [
    conversationId, message.address.channel, message.externalId, message.text ?? null, message.payload ?? null, json(message.attachments ?? []),
  ], { prepared: true, turnStatement: true });
  const row = result.rows[0];
  return row ? messageFromJson(row.inserted) : null;
}

const LOAD = `
  WITH conv AS (SELECT * FROM conversations WHERE id = $1)
  SELECT (SELECT to_jsonb(conv) FROM conv) AS conversation, ${readColumns('m.id IS DISTINCT FROM $2::bigint')}`;

/** See Store.loadTurn. */
export async function loadTurn(db: Queryable, conversationId: string, inboundId: string | null): Promise<{ conversation: Conversation; reads: TurnReads } | null> {
  const result = await db.query<ReadRow & { conversation: Json<ConversationRow> | null }>(LOAD, [conversationId, inboundId], { prepared: true, turnStatement: true });
  const row = result.rows[0];
  return row?.conversation ? { conversation: conversationFromJson(row.conversation), reads: toReads(row) } : null;
}

/** The parts' writes as CTEs that run only when the conversation's update (`conv`) matched; `param` adds a parameter. */
function writeClauses(writes: readonly TurnWrite[], param: (value: unknown) => string): string[] {
  // One write per fact: a statement may not change the same row twice.
  const facts = new Map<string, Extract<TurnWrite, { kind: 'fact' }>>();
  const clauses: string[] = [];
  for (const write of writes) {
    if (write.kind === 'fact') facts.set(write.key, write);
    else if (write.kind === 'last-channel') {
      const channel = param(write.channel);
      clauses.push(`UPDATE customers SET last_channel = ${channel} WHERE id = (SELECT customer_id FROM conv) AND last_channel IS DISTINCT FROM ${channel}`);
    } else {
      const columns = Object.keys(write.row);
      if (!/^[a-z_]+$/.test(write.table) || columns.some((column) => !/^[a-z_]+$/.test(column))) {
        throw new Error(`turn write into ${write.table}: names must be lower-case identifiers`);
      }
      const values = columns.map((column) => write.row[column] === TURN_CUSTOMER
        ? 'conv.customer_id'
        : `${param(write.row[column])}${write.casts?.[column] ? `::${write.casts[column]}` : ''}`);
      clauses.push(`INSERT INTO ${write.table} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM conv`);
    }
  }
  for (const fact of facts.values()) {
    const key = param(fact.key);
    clauses.push(fact.value === null || fact.value === undefined
      ? `DELETE FROM conversation_facts WHERE conversation_id = (SELECT id FROM conv) AND key = ${key}`
      : `INSERT INTO conversation_facts (conversation_id, key, value, expires_at)
         SELECT conv.id, ${key}, ${param(json(fact.value))}::jsonb, now() + ${param(fact.ttlSeconds ?? DEFAULT_FACT_TTL_SECONDS)} * interval '1 second' FROM conv
         ON CONFLICT (conversation_id, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`);
  }
  return clauses;
}

interface CommitRow {
  conversation: Json<ConversationRow> | null;
  replies: Json<MessageRow>[] | null;
  current_version: number | null;
  inbound_found: boolean;
}

/**
 * See Store.commitTurn. The conversation's update comes first and everything else runs only when it matched (the
 * version still the one the turn read, the inbound message in the conversation); its row lock makes a concurrent
 * commit of the same version wait, then match nothing.
 */
export async function commitTurn(db: Queryable, turn: CommitTurn): Promise<{ conversation: Conversation; replies: StoredMessage[] }> {
  const params: unknown[] = [
    turn.conversationId, turn.expectedVersion, json(turn.state), turn.mode ?? null, turn.inboundId,
    json(turn.replies.map((reply) => ({ text: reply.text, buttons: reply.buttons ?? [], attachments: reply.attachments ?? [] }))),
  ];
  const param = (value: unknown) => `$${params.push(value)}`;
  const writes = writeClauses(turn.writes ?? [], param).map((clause, i) => `, w${i} AS (${clause})`).join('\n');
  const sql = `
    WITH inbound AS (
      SELECT id, channel, external_id FROM messages WHERE id = $5::bigint AND conversation_id = $1 AND direction = 'in'
    ), conv AS (
      UPDATE conversations SET state = $3::jsonb, mode = COALESCE($4, mode), version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2 AND ($5::bigint IS NULL OR EXISTS (SELECT 1 FROM inbound))
      RETURNING *
    ), processed AS (
      UPDATE messages SET status = 'processed' WHERE id IN (SELECT id FROM inbound) AND EXISTS (SELECT 1 FROM conv)
    ), replies AS (
      INSERT INTO messages (conversation_id, direction, channel, text, buttons, attachments, status, in_reply_to, reply_to_external_id)
      SELECT conv.id, 'out', conv.channel, r.value ->> 'text', r.value -> 'buttons', r.value -> 'attachments', 'pending', $5::bigint,
        (SELECT external_id FROM inbound WHERE inbound.channel = conv.channel)
      FROM conv, jsonb_array_elements($6::jsonb) WITH ORDINALITY AS r (value, n)
      ORDER BY r.n
      RETURNING *
    )${writes}
    SELECT
      (SELECT to_jsonb(conv) FROM conv) AS conversation,
      (SELECT jsonb_agg(${MESSAGE_JSON('r')} ORDER BY r.id) FROM replies r) AS replies,
      (SELECT version FROM conversations WHERE id = $1) AS current_version,
      EXISTS (SELECT 1 FROM inbound) AS inbound_found`;
  const row = (await db.query<CommitRow>(sql, params, { prepared: true, turnStatement: true })).rows[0];
  if (row?.conversation) {
    return { conversation: conversationFromJson(row.conversation), replies: (row.replies ?? []).map(messageFromJson) };
  }
  if (row?.current_version == null) throw new ParleyError('NOT_FOUND', `No conversation ${turn.conversationId}`);
  if (turn.inboundId !== null && !row.inbound_found) {
    throw new ParleyError('NOT_FOUND', `No inbound message ${turn.inboundId} in conversation ${turn.conversationId}`);
  }
  throw new ParleyError(
    'CONFLICT',
    `Conversation ${turn.conversationId} is at version ${row.current_version}, the turn expected ${turn.expectedVersion}`,
    { details: { expectedVersion: turn.expectedVersion, actualVersion: row.current_version } },
  );
}
