/**
 * Transcript retention (TRANSCRIPT_RETENTION_DAYS): what customers wrote is kept N days, then deleted, in batches so
 * a large backlog never holds long locks: messages (both directions), the transcript, knowledge records, summary,
 * variables and reason inside resolved handoffs' contexts (the handoff row stays, for counts and ratings), and the
 * knowledge base's unanswered questions; and, through each agent desk's HandoffCopies, what the desk keeps of those
 * old resolved handoffs outside Parley (the Slack desk's messages). A desk that cannot be reached is tried again at
 * the next interval; what it cannot delete (a person's own Slack reply) is logged with its place, once. Each module
 * purges its own tables (`CustomerRows.purge` in its customer-data.ts); this file only runs them and the desks.
 *
 * It runs as a repeatable BullMQ job: one job scheduler with a fixed id (RETENTION_SCHEDULER_ID) on the queue
 * `privacy`, so however many Parley processes start, the purge runs once per interval, in whichever process's worker
 * takes it. Turning retention off removes the scheduler.
 */
import { once } from 'node:events';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../infra/logger.ts';
import type { Queryable } from '../store/types.ts';
import type { CustomerRows } from '../store/customer-rows.ts';
import type { HandoffCopies } from './customer-erase.ts';
import type { PrivacyRepository } from './repository.ts';

export const RETENTION_QUEUE = 'privacy';
export const RETENTION_SCHEDULER_ID = 'transcript-retention';
/** Rows one statement deletes or rewrites at most. */
export const RETENTION_BATCH = 500;

export interface PurgeCounts {
  messages: number;
  handoffContexts: number;
  kbGaps: number;
}

/**
 * Deletes or blanks what customers wrote before `olderThan`: each module purges its own tables (`CustomerRows.purge`:
 * the store's messages, the handoffs' contexts, the knowledge base's unanswered questions); how many rows each kind lost.
 */
export async function purgeTranscripts(db: Queryable, modules: readonly CustomerRows[], olderThan: Date, batch = RETENTION_BATCH): Promise<PurgeCounts> {
  const counts: PurgeCounts = { messages: 0, handoffContexts: 0, kbGaps: 0 };
  for (const module of modules) {
    for (const [kind, n] of Object.entries((await module.purge?.(db, olderThan, batch)) ?? {})) counts[kind as keyof PurgeCounts] += n;
  }
  return counts;
}

/** The handoffs of which a desk keeps copies outside Parley (the handoff module's repository, src/handoff/handoff-store.ts). */
export interface DeskCopyRecords {
  /** Resolved handoffs older than `olderThan` of which the desk keeps a copy, oldest first. */
  oldDeskCopies(desk: string, olderThan: Date, limit: number): Promise<{ id: string; deskRefs: Readonly<Record<string, string>> }[]>;
  /** Forgets the desk's copies of these handoffs (they were deleted there). */
  dropDeskRefs(handoffIds: readonly string[], desk: string): Promise<void>;
}

export interface RetentionJobOptions {
  /** The privacy module's repository: runs the purge over the modules' tables. */
  repository: PrivacyRepository;
  /** Every module's tables that name a customer (src/customer-data.ts): each purges its own. */
  modules: readonly CustomerRows[];
  redisUrl: string;
  /** Prefix of the queue's keys (the handoff queue's, `{parley}`). */
  prefix: string;
  /** Days kept; undefined: retention is off. */
  days: number | undefined;
  /** How often the purge runs. Default one hour. */
  everyMs?: number;
  /** Agent desks' copies of handoffs outside Parley, deleted with the handoffs' transcripts. */
  handoffCopies?: readonly HandoffCopies[];
  /** Which handoffs the desks keep copies of (the handoff module's repository); needed with `handoffCopies`. */
  deskRefs?: DeskCopyRecords;
  queueName?: string;
  logger: Logger;
  now?: () => Date;
}

/** The scheduler and this process's worker. */
export class RetentionJob {
  private readonly connection: Redis;
  private workerConnection: Redis | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  readonly queueName: string;

  constructor(private readonly options: RetentionJobOptions) {
    this.queueName = options.queueName ?? RETENTION_QUEUE;
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    this.connection.on('error', () => {});
  }

  /** Upserts the scheduler (or removes it when retention is off) and starts this process's worker. */
  async start(): Promise<void> {
    const { days, logger } = this.options;
    if (this.connection.status === 'wait') await this.connection.connect().catch(() => {});
    if (this.connection.status !== 'ready') await Promise.race([once(this.connection, 'ready'), new Promise((r) => setTimeout(r, 2000).unref())]);
    this.queue = new Queue(this.queueName, { connection: this.connection, prefix: this.options.prefix });
    this.queue.on('error', () => {});
    if (days === undefined) {
      // Off: a schedule left by an earlier configuration must not keep deleting; then nothing here needs Redis.
      await this.queue.removeJobScheduler(RETENTION_SCHEDULER_ID);
      await this.queue.close().catch(() => {});
      this.queue = undefined;
      this.connection.disconnect();
      return;
    }
    await this.queue.upsertJobScheduler(RETENTION_SCHEDULER_ID, { every: this.options.everyMs ?? 3_600_000 }, {
      name: 'purge-transcripts',
      opts: { removeOnComplete: { count: 24 }, removeOnFail: { count: 24 } },
    });
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => {});
    this.worker = new Worker(this.queueName, () => this.runOnce(), { connection: this.workerConnection, prefix: this.options.prefix, concurrency: 1 });
    this.worker.on('error', (error) => logger.warn({ err: error.message }, 'retention worker error'));
    this.worker.on('failed', (_job, error) => logger.warn({ err: error.message }, 'transcript retention failed; it runs again at the next interval'));
  }

  /** One purge of everything older than the retention period. */
  async runOnce(): Promise<PurgeCounts & { deskMessages: number }> {
    const days = this.options.days ?? 0;
    const now = this.options.now?.() ?? new Date();
    const olderThan = new Date(now.getTime() - days * 86_400_000);
    const counts = await this.options.repository.purgeTranscripts(this.options.modules, olderThan);
    let deskMessages = 0;
    const { deskRefs } = this.options;
    if (deskRefs) for (const desk of this.options.handoffCopies ?? []) deskMessages += await this.purgeDeskCopies(deskRefs, desk, olderThan);
    if (counts.messages + counts.handoffContexts + counts.kbGaps + deskMessages > 0) {
      this.options.logger.info({ ...counts, deskMessages, days }, 'transcript retention: old customer text deleted');
    }
    return { ...counts, deskMessages };
  }

  /** A desk's copies of resolved handoffs older than `olderThan`, in batches; the desk's reference goes once done. */
  private async purgeDeskCopies(deskRefs: DeskCopyRecords, desk: HandoffCopies, olderThan: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const old = await deskRefs.oldDeskCopies(desk.name, olderThan, RETENTION_BATCH);
      if (old.length === 0) return deleted;
      const done = await desk.erase(old.map((row) => row.deskRefs));
      deleted += done.deleted;
      if (done.left.length > 0) {
        this.options.logger.warn({ desk: desk.name, left: done.left }, 'transcript retention: messages people wrote in old handoff threads are left; the app cannot delete them');
      }
      await deskRefs.dropDeskRefs(old.map((row) => row.id), desk.name);
      if (old.length < RETENTION_BATCH) return deleted;
    }
  }

  async close(): Promise<void> {
    await this.worker?.close().catch(() => {});
    await this.queue?.close().catch(() => {});
    this.connection.disconnect();
    this.workerConnection?.disconnect();
  }
}
