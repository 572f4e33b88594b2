import type { Address, Attachment, Button, InboundMessage } from '../core/message.ts';
import type { ConversationState } from '../engine/types.ts';

/** Rows returned by a query. */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself, or one transaction on it. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>>;
}

export interface QueryOptions {
  /**
   * Keep the statement parsed on each connection (PGlite: prepared once, pglite-prepared.ts): for the statements every
   * turn runs, which PostgreSQL would otherwise parse and analyse each time. Only for a statement whose result columns
   * are named in it (no `SELECT *` at its top): a migration that changes a table it returns would fail it until
   * reconnected. Such a statement issued while the database is busy may be committed together with others' (group
   * commit, statement-group.ts), so it must not depend on another's running in a transaction of its own.
   */
  prepared?: boolean;
  /**
   * One of the turn's own statements (the accept, the commit, the sent marks), whose effects the store's turn cache
   * follows itself (turn-cache.ts); every other statement that may write makes the cache read afresh.
   */
  turnStatement?: boolean;
}

/** A PostgreSQL database: the real one through `pg`, or PGlite. Same SQL, same migrations. */
export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Only where this process alone writes the database (PGlite): how many times a statement that may change data, other
   * than a turn statement (QueryOptions.turnStatement), started or ended so far. Equal counts mean no such change in
   * between. Absent on PostgreSQL, which other processes write too.
   */
  changes?(): number;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type ConversationMode = 'bot' | 'human';

export interface Customer {
  id: string;
  displayName: string | null;
  createdAt: Date;
}

export interface Conversation {
  id: string;
  channel: string;
  /** The channel's own conversation id. */
  externalId: string;
  customerId: string;
  /** The address replies go to. */
  address: Address;
  mode: ConversationMode;
  state: ConversationState;
  /** Incremented by every committed turn; a commit with a stale version is refused. */
  version: number;
  locale: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type InboundStatus = 'received' | 'processed';
export type OutboundStatus = 'pending' | 'sent' | 'failed';

export interface StoredMessage {
  /** Monotonic per database: the order messages were accepted in. */
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  channel: string;
  externalId: string | null;
  text: string | null;
  payload: string | null;
  buttons: Button[];
  attachments: Attachment[];
  status: InboundStatus | OutboundStatus;
  /** For outbound messages: the inbound message whose turn produced it (null for messages Parley started). */
  inReplyTo: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  /** For outbound messages: the latest delivery status the channel reported (e.g. `delivered`, `read`), if any. */
  deliveryStatus?: string | null;
  /** For replies: the channel's id (`externalId`) of the customer's message they answer, for channels that thread. */
  replyToExternalId?: string | null;
  /** For an agent's reply: the agent's display name, shown beside it where the channel can (the web chat). */
  senderName?: string | null;
}

export interface NewOutbound {
  text: string;
  buttons?: Button[];
  attachments?: Attachment[];
}

export interface TranscriptOptions {
  /** Only messages after this one. */
  afterId?: string;
  /** At most this many (default 100, at most 1000). */
  limit?: number;
  /** The last `limit` messages instead of the first (still oldest first). */
  latest?: boolean;
}

/**
 * What a turn's first read loads for the parts that run in the turn (consent, ratings, customers, handoff), so that
 * none of them queries on its own (issue 19): read with the conversation, in the same statement that stores the
 * customer's message.
 */
export interface TurnReads {
  /** The customer's consent in force on the conversation's channel, by purpose (absent: never recorded). */
  consent: Partial<Record<string, 'granted' | 'withdrawn'>>;
  /** The channel the customer last wrote on (customers.last_channel). */
  lastChannel: string | null;
  /** The rating question open in this conversation (conversation_ratings), if any. */
  openRating: { handoffId: string | null } | null;
  /** Whether the customer wrote in this conversation before (any inbound message other than this turn's). */
  wroteBefore: boolean;
  /** What parts keep about the conversation between its turns (conversation_facts), by key; expired ones are left out. */
  facts: Record<string, unknown>;
}

/**
 * In a turn write's row: the conversation's customer as the commit finds it, not as the turn read it (linking a
 * channel in the turn may have merged the customer into another).
 */
export const TURN_CUSTOMER: unique symbol = Symbol('the conversation\'s customer at commit');

/**
 * A row a part adds to the turn's commit: written in the same statement as the turn's state and replies, or not at
 * all. Table and column names come from the code, never from input.
 */
export type TurnWrite =
  /** One row inserted; `casts` gives a column's SQL type where the value needs one (`jsonb`, `text[]`, `date`). */
  | { kind: 'insert'; table: string; row: Record<string, unknown>; casts?: Record<string, string> }
  /** A conversation fact set (kept `ttlSeconds`) or, with `value` null, removed. */
  | { kind: 'fact'; key: string; value: unknown; ttlSeconds?: number }
  /** The channel the conversation's customer last wrote on. */
  | { kind: 'last-channel'; channel: string };

/** The turn's first read: the customer's message stored (deduplicated), and everything its turns need. */
export interface AcceptedInbound {
  conversation: Conversation;
  /** The stored message: this delivery's, or the first delivery's when `duplicate`. */
  inbound: StoredMessage;
  duplicate: boolean;
  /** For a duplicate whose turn has committed: that turn's replies, in order. */
  replies: StoredMessage[];
  /** The conversation's inbound messages not yet processed, oldest first (this one among them unless answered). */
  pending: StoredMessage[];
  reads: TurnReads;
}

export interface CommitTurn {
  conversationId: string;
  /** The version read before the turn ran; the commit fails with CONFLICT when it moved. */
  expectedVersion: number;
  state: ConversationState;
  mode?: ConversationMode;
  /** The inbound message this turn answered; marked processed in the same transaction. */
  inboundId: string | null;
  replies: NewOutbound[];
  /** The parts' rows, written with the rest of the turn or not at all. */
  writes?: TurnWrite[];
}

/**
 * Parley's persistent state. One implementation over `Db`; the contract suite runs it on PGlite and PostgreSQL.
 */
export interface Store {
  /**
   * A module's repository over the database (`<module>/repository.ts`): the only way a module reaches its tables. The
   * same SQL runs on PostgreSQL and PGlite.
   */
  repository<R>(open: (db: Db) => R): R;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;

  /** The customer behind a channel identity, created with the identity on first sight. */
  resolveCustomer(channel: string, externalUserId: string, profile?: { name?: string }): Promise<Customer>;
  /** The conversation for an address, created (mode bot, empty state, version 0) on first sight. */
  resolveConversation(address: Address, customerId: string): Promise<{ conversation: Conversation; created: boolean }>;
  getConversation(id: string): Promise<Conversation | null>;
  findConversation(channel: string, externalId: string): Promise<Conversation | null>;

  /**
   * Persists an inbound message. A second message with the same channel and external id is not stored again:
   * the first one is returned with `duplicate: true`.
   */
  insertInbound(conversationId: string, message: InboundMessage): Promise<{ message: StoredMessage; duplicate: boolean }>;
  /**
   * The turn's first read, in one round trip: stores the message (deduplicated on the channel's id) in the
   * conversation at its address and returns the conversation, its pending messages and the parts' reads. Null when
   * the channel identity or the conversation is new: the caller resolves them (resolveCustomer,
   * resolveConversation) and asks again. Run it under the conversation's lock.
   */
  acceptInbound(message: InboundMessage): Promise<AcceptedInbound | null>;
  /** The conversation and the parts' reads for the turn of `inboundId` (null: a turn Parley starts), in one round trip. */
  loadTurn(conversationId: string, inboundId: string | null): Promise<{ conversation: Conversation; reads: TurnReads } | null>;
  /** Inbound messages of a conversation not yet processed, oldest first. */
  pendingInbound(conversationId: string): Promise<StoredMessage[]>;
  /** Conversations that have unprocessed inbound messages (left by a crash), oldest first. */
  conversationsWithPendingInbound(limit: number): Promise<string[]>;

  /**
   * Saves the turn's outcome atomically, in one statement: state, mode, replies (as pending), the inbound message
   * processed, and the parts' writes.
   */
  commitTurn(turn: CommitTurn): Promise<{ conversation: Conversation; replies: StoredMessage[] }>;
  /** Stores a message Parley starts (not in reply to an inbound message), as pending. */
  insertOutbound(conversationId: string, message: NewOutbound): Promise<StoredMessage>;
  /**
   * Stores a message Parley starts in the conversation, pending, with the purpose it is sent for (the consent
   * ledger's, src/customers).
   */
  insertStarted(conversation: Conversation, message: NewOutbound, purpose: string): Promise<StoredMessage>;
  /** Records the purpose of a message Parley started (one the consent ledger refused). */
  setPurpose(messageId: string, purpose: string): Promise<void>;
  /** Moves a pending message into another conversation (and its channel); null when it is no longer pending. */
  movePending(messageId: string, target: Conversation): Promise<StoredMessage | null>;
  /** The flow versions conversations are in the middle of a flow of (the studio keeps those flows loaded). */
  flowVersionsInFlight(): Promise<string[]>;
  /** The customer's conversation on this channel where they wrote last (or, never having written, the newest). */
  latestConversation(customerId: string, channel: string): Promise<Conversation | null>;
  /** Channels the customer has conversations on, the one they wrote on last first. */
  channelsByRecency(customerId: string): Promise<string[]>;
  /** Replies stored and not yet delivered (the metrics read it at each scrape). */
  pendingReplyCount(): Promise<number>;

  /** Outbound messages produced by the turn of this inbound message, in order. */
  repliesTo(inboundId: string): Promise<StoredMessage[]>;
  /** The conversation's messages in both directions, oldest first; `afterId` pages forward. */
  transcript(conversationId: string, options?: TranscriptOptions): Promise<StoredMessage[]>;

  markSent(messageId: string, externalId?: string): Promise<void>;
  /** Marks several outbound messages sent at once (a turn's replies delivered together); returns how many it found. */
  markAllSent(messageIds: readonly string[]): Promise<number>;
  /** Records a failed attempt (`attempts` counts failed attempts); `final` marks the message failed (visible to agents), else it stays pending. */
  markAttemptFailed(messageId: string, error: string, final: boolean): Promise<void>;
  /**
   * Records what a channel reported about an outbound message it took, found by the channel's id for it. Statuses
   * only move forward (`sent` → `delivered` → `read`); `failed` marks the message failed with `error` as its reason.
   * Returns false when no outbound message has that id (yet).
   */
  recordDeliveryStatus(channel: string, externalId: string, status: 'sent' | 'delivered' | 'read' | 'failed', error?: string): Promise<boolean>;
  /** When the customer last wrote in the conversation at this address (its latest inbound message), or null. */
  lastInboundAt(channel: string, conversationExternalId: string): Promise<Date | null>;
  /**
   * Pending outbound messages created before `olderThan`, oldest first: what a crashed process left behind. Replies
   * waiting for the customer to write again (delivery status `waiting`, src/store/waiting-replies.ts) are not among them.
   */
  pendingOutbound(olderThan: Date, limit: number): Promise<StoredMessage[]>;
  /** Marks a pending reply as waiting for the customer to write again (src/store/waiting-replies.ts). */
  markWaiting(messageId: string, reason: string): Promise<void>;
  /** Takes the waiting mark off the conversation's waiting replies and returns them, oldest first. */
  releaseWaiting(conversationId: string): Promise<StoredMessage[]>;
  /** The inbound message a channel already delivered and Parley already answered (its turn committed), if any. */
  answeredInbound(channel: string, externalId: string): Promise<StoredMessage | null>;
}
