/**
 * `parley customers erase` and POST /admin/customers/:id/erase: deletes everything Parley holds about one customer.
 *
 * In one database transaction, each module's repository erases its own rows (`CustomerRows.erase`, in the order of
 * src/customer-data.ts): every row of every table a module declares as its own with a customer or conversation column
 * (the tables declared to go with those cascade), the unanswered questions recorded from their messages (kb_gaps
 * keeps no link to who asked, so they are matched by text), their data requests closed and cut from them, the
 * customer row last; and an audit row is written. The audit row holds when, who asked and how
 * many rows each table lost: no identifier of the customer, not even a hash of their id (nothing would ever need to
 * be matched against it, and a hash of an id that stays in backups would link them back).
 *
 * Then, outside the transaction, Redis: the handoff queue's jobs of their handoffs (finished and failed ones are kept
 * by BullMQ otherwise), and every key under Parley's prefixes whose name carries one of their ids (conversation
 * locks, the outbox's delivery markers, …). A Redis failure is reported, not hidden:
 * the database part stays done, and running the erase again finds nothing in the database and retries Redis.
 *
 * Last, the copies of their handoffs that agent desks keep outside Parley (the Slack desk's messages), through each
 * desk's `HandoffCopies`. What a desk cannot delete (a person's own reply in a Slack thread) or could not reach is
 * counted and reported with where it is, so the admin can remove it there.
 */
import type { Redis } from 'ioredis';
import type { CustomerRows } from '../store/customer-rows.ts';
import type { PrivacyRepository } from './repository.ts';

export interface EraseDeps {
  /** The privacy module's repository: the erase's transaction and its audit. */
  repository: PrivacyRepository;
  /** Every module's tables that name a customer and its part in the erase (src/customer-data.ts), in the order they run. */
  customerData: readonly CustomerRows[];
  /** Parley's Redis; absent, only the database is erased (and `redis` in the result says so). */
  redis?: Redis;
  /** Prefixes of Parley's Redis keys (`parley:`, the handoff queue's `{parley}`). */
  redisPrefixes: readonly string[];
  /** Removes the handoff queue's jobs by id (job id = handoff id); returns how many it removed. */
  removeJobs?: (jobIds: string[]) => Promise<number>;
  /** Agent desks that keep copies of handoffs outside Parley. */
  handoffCopies?: readonly HandoffCopies[];
}

/** Where an agent desk put a handoff (the handoff's desk_refs, e.g. `slack` → `<channel>:<ts>`). */
export type DeskRefs = Readonly<Record<string, string>>;

/** What a desk removed of its copies, and what it could not (with where each is, for the admin). */
export interface CopiesErased {
  deleted: number;
  left: string[];
}

/** An agent desk's copies of handoffs outside Parley, deleted there on an erase. */
export interface HandoffCopies {
  /** The desk (`slack`): its counts in the audit are `<name>_messages_deleted` / `_left`. */
  name: string;
  erase(handoffs: readonly DeskRefs[]): Promise<CopiesErased>;
}

export interface EraseRequest {
  /** Who asked, for the audit: `admin`, `agent:<id>`, `cli`, `customer request (approved by …)`. No customer data. */
  requestedBy: string;
  /** The data request this erasure answers, if any. */
  dataRequestId?: string;
}

export interface EraseResult {
  auditId: string;
  /** Rows deleted per table (the customer's row under `customers`). */
  counts: Record<string, number>;
  redis: { keys: number; jobs: number } | { error: string } | 'skipped';
  /** Per desk with copies outside Parley: what was deleted there and what is left, or why it could not be reached. */
  copies: Record<string, CopiesErased | { error: string; left: string[] }>;
}

export async function eraseCustomer(deps: EraseDeps, customerId: string, request: EraseRequest): Promise<EraseResult> {
  const { repository } = deps;
  const rows = await repository.erase(deps.customerData, customerId, request);
  const erased = {
    auditId: rows.auditId,
    counts: rows.counts,
    ids: rows.ids,
    // Channel ids are only swept when long enough not to occur by chance inside unrelated key names.
    channelIds: rows.channelIds.filter((id) => id.length >= 8),
    handoffIds: rows.handoffs.map((h) => h.id),
    deskRefs: rows.handoffs.map((h) => h.deskRefs),
  };

  let redis: EraseResult['redis'] = 'skipped';
  if (deps.redis) {
    try {
      const jobs = deps.removeJobs && erased.handoffIds.length > 0 ? await deps.removeJobs(erased.handoffIds) : 0;
      const keys = await sweepKeys(deps.redis, deps.redisPrefixes, [...erased.ids, ...erased.channelIds]);
      redis = { keys, jobs };
    } catch (error) {
      redis = { error: error instanceof Error ? error.name : 'error' };
    }
    await repository.recordCounts(erased.auditId, typeof redis === 'object' && 'keys' in redis ? { redis_keys: redis.keys, queue_jobs: redis.jobs } : { redis_failed: 1 });
  }

  const copies: EraseResult['copies'] = {};
  for (const desk of deps.handoffCopies ?? []) {
    const refs = erased.deskRefs.filter((r) => r[desk.name] !== undefined);
    if (refs.length === 0) continue;
    try {
      copies[desk.name] = await desk.erase(refs);
    } catch (error) {
      copies[desk.name] = { error: error instanceof Error ? error.message : String(error), left: refs.map((r) => r[desk.name]!) };
    }
    const done = copies[desk.name]!;
    await repository.recordCounts(erased.auditId, 'error' in done
      ? { [`${desk.name}_failed`]: 1, [`${desk.name}_messages_left`]: done.left.length }
      : { [`${desk.name}_messages_deleted`]: done.deleted, [`${desk.name}_messages_left`]: done.left.length });
  }
  return { auditId: erased.auditId, counts: erased.counts, redis, copies };
}

/** Deletes every key under the prefixes whose name contains one of the ids; returns how many. */
export async function sweepKeys(redis: Redis, prefixes: readonly string[], ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  let deleted = 0;
  for (const prefix of new Set(prefixes)) {
    const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      const mine = keys.filter((key) => ids.some((id) => key.includes(id)));
      if (mine.length > 0) deleted += await redis.del(...mine);
    } while (cursor !== '0');
  }
  return deleted;
}
