/**
 * The turn's reads kept between turns, where this process alone writes the database (PGlite, issue 19). A turn
 * ends knowing everything the next turn of its conversation would read (the conversation as committed, the parts'
 * facts as written, consent, ratings, last channel as read), so the next message's accept needs only its insert
 * instead of the read (a third of a turn's database time on PGlite).
 *
 * What was read stays good only while nothing else may have changed it, so a kept read is dropped when:
 * - any statement that may write, other than a turn statement, started or ended since the read (Db.changes);
 * - a turn of another of the customer's conversations wrote about the customer (last channel, consent), or any
 *   turn statement of its own conversation ran that this cache did not follow;
 * - the conversation had another message waiting (a read is kept only from a turn that answered the conversation's
 *   only waiting message), or a fact it read is about to expire.
 * Anything unusual (a duplicate, a new locale or a name to store, another sender) takes the full accept.
 */
import type { InboundMessage } from '../core/message.ts';
import type { AcceptedInbound, CommitTurn, Conversation, StoredMessage, TurnReads, TurnWrite } from './types.ts';
import { DEFAULT_FACT_TTL_SECONDS, type ReadTurn } from './turn-statements.ts';

/** Conversations whose reads are kept at most (the least recently committed are forgotten first). */
export const MAX_KEPT = 10_000;
/** A read whose first fact expires within this is read afresh (the database's clock decides expiry). */
const EXPIRY_MARGIN_MS = 5_000;
/** The tables the turn's first read returns rows of: a write that names none of them changes nothing it read. */
const READ_TABLES = /\b(conversations|messages|customers|identities|consent_events|conversation_ratings|conversation_facts)\b/i;
const READ_ONLY = /^\s*(SELECT|ANALYZE|SHOW)\b[^;]*;?\s*$/i;
const INSERT_OR_UPDATE = /^\s*(INSERT|UPDATE)\b[^;]*;?\s*$/i;

/** Whether a statement (other than a turn statement) may change what a turn's first read returns. */
export function mayChangeTurnReads(sql: string): boolean {
  if (READ_ONLY.test(sql)) return false;
  // No triggers and no cascades on insert or update: only a statement naming one of those tables writes it.
  return !(INSERT_OR_UPDATE.test(sql) && !READ_TABLES.test(sql));
}

interface Read {
  /** The conversation's customer when it was read. */
  customerId: string;
  /** TurnReads as JSON: a copy no hook can change. */
  reads: string;
  factsExpireAt: number | null;
  /** Db.changes() when the database was read. */
  changes: number;
  /** The customer stamp when the database was read. */
  stamp: number;
}

interface Kept extends Read {
  conversation: Conversation;
  userId: string;
}

interface Accepted extends Read {
  inboundId: string;
  userId: string;
  /** No other message of the conversation was waiting: once this one is answered, none is. */
  alone: boolean;
}

export interface TurnCacheStatements {
  accept(message: InboundMessage): Promise<ReadTurn<AcceptedInbound> | null>;
  storeInbound(conversationId: string, message: InboundMessage): Promise<StoredMessage | null>;
  commit(turn: CommitTurn): Promise<{ conversation: Conversation; replies: StoredMessage[] }>;
}

const addressKey = (channel: string, conversationId: string) => `${channel}\u0000${conversationId}`;

export class TurnCache {
  private readonly kept = new Map<string, Kept>();
  private readonly keptByAddress = new Map<string, string>();
  private readonly accepted = new Map<string, Accepted>();
  /** A stamp per customer whose reads a turn wrote (last channel, consent); customers forgotten count as `forgotten`. */
  private readonly customerChanged = new Map<string, number>();
  private stamp = 0;
  private forgotten = 0;

  constructor(
    private readonly changes: () => number,
    private readonly statements: TurnCacheStatements,
  ) {}

  async accept(message: InboundMessage): Promise<AcceptedInbound | null> {
    const { channel, conversationId: external, userId } = message.address;
    const kept = this.take(addressKey(channel, external));
    if (kept && this.usable(kept, message)) {
      const inbound = await this.statements.storeInbound(kept.conversation.id, message);
      if (inbound) {
        const { customerId, factsExpireAt, changes, stamp } = kept;
        this.accepted.set(kept.conversation.id, { customerId, reads: kept.reads, factsExpireAt, changes, stamp, inboundId: inbound.id, userId, alone: true });
        this.bound(this.accepted);
        // Another message of the customer's is in the conversation: the one whose turn kept this.
        const reads: TurnReads = { ...(JSON.parse(kept.reads) as TurnReads), wroteBefore: true };
        return { conversation: kept.conversation, inbound, duplicate: false, replies: [], pending: [inbound], reads };
      }
    }
    const read = { changes: this.changes(), stamp: this.stamp };
    const result = await this.statements.accept(message);
    if (!result) return null;
    const { read: accepted, factsExpireAt } = result;
    const alone = !accepted.duplicate && accepted.pending.length === 1 && accepted.pending[0]!.id === accepted.inbound.id;
    this.accepted.set(accepted.conversation.id, {
      ...read, customerId: accepted.conversation.customerId, reads: JSON.stringify(accepted.reads), factsExpireAt: factsExpireAt?.getTime() ?? null, inboundId: accepted.inbound.id, userId, alone,
    });
    this.bound(this.accepted);
    return accepted;
  }

  async commit(turn: CommitTurn): Promise<{ conversation: Conversation; replies: StoredMessage[] }> {
    const accepted = this.accepted.get(turn.conversationId);
    this.accepted.delete(turn.conversationId);
    this.forget(turn.conversationId);
    const aboutCustomer = (turn.writes ?? []).some((write) => write.kind === 'last-channel' || (write.kind === 'insert' && write.table !== 'analytics_turns'));
    if (aboutCustomer) this.changedCustomer(accepted?.customerId);
    const startedAt = Date.now();
    let committed: { conversation: Conversation; replies: StoredMessage[] };
    try {
      committed = await this.statements.commit(turn);
    } finally {
      // Kept again meanwhile (another turn of the conversation, committed first)? This commit may have moved it on.
      this.forget(turn.conversationId);
    }
    const { conversation } = committed;
    if (aboutCustomer) this.changedCustomer(conversation.customerId);
    else if (accepted?.alone && accepted.inboundId === turn.inboundId && this.current(accepted, conversation.customerId)) {
      const reads = JSON.parse(accepted.reads) as TurnReads;
      const factsExpireAt = applyFacts(reads, turn.writes ?? [], startedAt, accepted.factsExpireAt);
      this.keep({ ...accepted, customerId: conversation.customerId, reads: JSON.stringify(reads), factsExpireAt, conversation: structuredClone(conversation) });
    }
    return committed;
  }

  private usable(kept: Kept, message: InboundMessage): boolean {
    return this.current(kept, kept.customerId) && kept.userId === message.address.userId
      && (!message.locale || message.locale === kept.conversation.locale) && !message.profile?.name
      && (kept.factsExpireAt === null || kept.factsExpireAt > Date.now() + EXPIRY_MARGIN_MS);
  }

  /** Nothing that may change what was read happened since it was read. */
  private current(read: Read, customerId: string): boolean {
    return read.changes === this.changes() && (this.customerChanged.get(customerId) ?? this.forgotten) <= read.stamp;
  }

  /** A turn writes about the customer (every customer when it is not known). */
  private changedCustomer(customerId: string | undefined): void {
    this.stamp++;
    if (customerId === undefined) {
      this.forgotten = this.stamp;
      this.customerChanged.clear();
      return;
    }
    this.customerChanged.delete(customerId);
    this.customerChanged.set(customerId, this.stamp);
    if (this.customerChanged.size > MAX_KEPT) {
      const [oldest, stamp] = this.customerChanged.entries().next().value!;
      this.customerChanged.delete(oldest);
      this.forgotten = Math.max(this.forgotten, stamp);
    }
  }

  private take(key: string): Kept | undefined {
    const id = this.keptByAddress.get(key);
    if (id === undefined) return undefined;
    const kept = this.kept.get(id);
    this.forget(id);
    return kept;
  }

  private keep(kept: Kept): void {
    const { id, channel, externalId } = kept.conversation;
    this.kept.set(id, kept);
    this.keptByAddress.set(addressKey(channel, externalId), id);
    if (this.kept.size > MAX_KEPT) this.forget(this.kept.keys().next().value!);
  }

  private forget(conversationId: string): void {
    const kept = this.kept.get(conversationId);
    if (!kept) return;
    this.kept.delete(conversationId);
    this.keptByAddress.delete(addressKey(kept.conversation.channel, kept.conversation.externalId));
  }

  private bound(map: Map<string, unknown>): void {
    if (map.size > MAX_KEPT) map.delete(map.keys().next().value!);
  }
}

/**
 * The turn's fact writes applied to what it read, as the commit writes them (the last write of a key wins); returns
 * when the first fact now kept expires, counted from before the commit started (the database counts from its start).
 */
function applyFacts(reads: TurnReads, writes: readonly TurnWrite[], startedAt: number, carriedExpireAt: number | null): number | null {
  const facts = new Map<string, Extract<TurnWrite, { kind: 'fact' }>>();
  for (const write of writes) if (write.kind === 'fact') facts.set(write.key, write);
  let expireAt = carriedExpireAt;
  for (const fact of facts.values()) {
    if (fact.value === null || fact.value === undefined) {
      delete reads.facts[fact.key];
      continue;
    }
    reads.facts[fact.key] = JSON.parse(JSON.stringify(fact.value)) as unknown;
    const at = startedAt + (fact.ttlSeconds ?? DEFAULT_FACT_TTL_SECONDS) * 1000;
    expireAt = expireAt === null ? at : Math.min(expireAt, at);
  }
  return expireAt;
}
