/**
 * Transcript retention (TRANSCRIPT_RETENTION_DAYS): what customers wrote is kept N days, then deleted, in batches so
 * a large backlog never holds long locks: messages (both directions), the transcript, knowledge records, summary,
 * variables and reason inside resolved handoffs' contexts (the handoff row stays, for counts and ratings), and the
 * knowledge base's unanswered questions; and, through each agent desk's HandoffCopies, what the desk keeps of those
 * old resolved handoffs outside Parley (the Slack desk's messages). A desk that cannot be reached is tried again at
 * the next interval; what it cannot delete (a person's own Slack reply) is logged with its place, once.
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

/** Deletes or blanks what customers wrote before `olderThan`; returns how many rows each kind lost. */
export async function purgeTranscripts(db: Queryable, olderThan: Date, batch = RETENTION_BATCH): Promise<PurgeCounts> {
  const counts: PurgeCounts = { messages: 0, handoffContexts: 0, kbGaps: 0 };
  const loop = async (sql: string): Promise<number> => {
    let total = 0;
    for (;;) {
      const result = await db.query(sql, [olderThan, batch]);
      total += result.rowCount;
      if (result.rowCount < batch) return total;
    }
  };
  counts.messages = await loop('DELETE FROM messages WHERE id IN (SELECT id FROM messages WHERE created_at < $1 ORDER BY id LIMIT $2)');
  counts.handoffContexts = await loop(`
    UPDATE handoffs SET reason = trigger, context = context
      || jsonb_build_object('transcript', '[]'::jsonb, 'knowledge', '[]'::jsonb, 'summary', '', 'reason', trigger)
      || jsonb_build_object('flow', (context -> 'flow') || jsonb_build_object('vars', '{}'::jsonb))
    WHERE id IN (
      SELECT id FROM handoffs WHERE status = 'resolved' AND created_at < $1
        AND (jsonb_array_length(context -> 'transcript') > 0 OR context ->> 'summary' <> '' OR reason <> trigger)
      LIMIT $2)`);
  counts.kbGaps = await loop('DELETE FROM kb_gaps WHERE id IN (SELECT id FROM kb_gaps WHERE created_at < $1 ORDER BY id LIMIT $2)');
  // Facts past their own expiry (the handoff triggers' signals: a day), whatever the retention: no turn reads them.
  await db.query('DELETE FROM conversation_facts WHERE expires_at < now()');
  return counts;
}

export interface RetentionJobOptions {
  /** The privacy module's repository: the purge's statements. */
  repository: PrivacyRepository;
  redisUrl: string;
  /** Prefix of the queue's keys (the handoff queue's, `{parley}`). */
  prefix: string;
  /** Days kept; undefined: retention is off. */
  days: number | undefined;
  /** How often the purge runs. Default one hour. */
  everyMs?: number;
  /** Agent desks' copies of handoffs outside Parley, deleted with the handoffs' transcripts. */
  handoffCopies?: readonly HandoffCopies[];
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
    const counts = await this.options.repository.purgeTranscripts(olderThan);
    let deskMessages = 0;
    for (const desk of this.options.handoffCopies ?? []) deskMessages += await this.purgeDeskCopies(desk, olderThan);
    if (counts.messages + counts.handoffContexts + counts.kbGaps + deskMessages > 0) {
      this.options.logger.info({ ...counts, deskMessages, days }, 'transcript retention: old customer text deleted');
    }
    return { ...counts, deskMessages };
  }

  /** A desk's copies of resolved handoffs older than `olderThan`, in batches; the desk's reference goes once done. */
  private async purgeDeskCopies(desk: HandoffCopies, olderThan: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const old = await this.options.repository.oldDeskCopies(desk.name, olderThan, RETENTION_BATCH);
      if (old.length === 0) return deleted;
      const done = await desk.erase(old.map((row) => row.deskRefs));
      deleted += done.deleted;
      if (done.left.length > 0) {
        this.options.logger.warn({ desk: desk.name, left: done.left }, 'transcript retention: messages people wrote in old handoff threads are left; the app cannot delete them');
      }
      await this.options.repository.dropDeskRefs(old.map((row) => row.id), desk.name);
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
