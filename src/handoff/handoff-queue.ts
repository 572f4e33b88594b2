import { once } from 'node:events';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { ParleyError } from '../core/errors.ts';
import type { Logger } from '../infra/logger.ts';

/** One job per handoff: small, and idempotent by its id (the handoff's id). The context lives in the database. */
export interface HandoffJobData {
  handoffId: string;
}

export interface HandoffQueueOptions {
  redisUrl: string;
  /** BullMQ queue name. Default `handoffs`. */
  name?: string;
  /**
   * Prefix of every Redis key of the queue. Must contain a `{hash tag}`, so all of the queue's keys hash to one slot
   * and the queue runs on Redis Cluster. Default `{parley}`.
   */
  prefix?: string;
  /** Attempts to announce a handoff to the desks before the job is kept as failed. Default 8. */
  attempts?: number;
  /** First retry delay; it doubles on every retry. Default 1000 ms. */
  backoffMs?: number;
  logger: Logger;
}

export type HandoffProcessor = (job: HandoffJobData, attempt: number) => Promise<void>;

const defaults = { name: 'handoffs', prefix: '{parley}', attempts: 8, backoffMs: 1000 };

/** Checks options the way BullMQ does: defaults first, then the caller's, then explicit checks with a clear message. */
export function resolveQueueOptions(options: HandoffQueueOptions): Required<Omit<HandoffQueueOptions, 'logger'>> & { logger: Logger } {
  const resolved = { ...defaults, ...options };
  if (!/\{[^{}]+\}/.test(resolved.prefix)) {
    throw new ParleyError('CONFIG_INVALID', `handoff queue prefix ${JSON.stringify(resolved.prefix)} must contain a {hash tag}, like {parley}`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(resolved.name)) {
    throw new ParleyError('CONFIG_INVALID', `handoff queue name ${JSON.stringify(resolved.name)} may hold letters, digits and . _ - only`);
  }
  if (!Number.isInteger(resolved.attempts) || resolved.attempts < 1) throw new ParleyError('CONFIG_INVALID', 'handoff queue attempts must be a positive integer');
  return resolved;
}

/**
 * The BullMQ `handoffs` queue. Adding fails fast while Redis is down (no offline queue): the handoff is already in
 * the database, and the monitor adds it again later; adding a handoff twice is a no-op because the job id is its id.
 */
export class HandoffQueue {
  readonly name: string;
  readonly prefix: string;
  private queue: Queue<HandoffJobData> | undefined;
  private readonly connection: Redis;
  private worker: Worker<HandoffJobData> | undefined;
  private workerConnection: Redis | undefined;
  private readonly options: ReturnType<typeof resolveQueueOptions>;

  constructor(options: HandoffQueueOptions) {
    this.options = resolveQueueOptions(options);
    this.name = this.options.name;
    this.prefix = this.options.prefix;
    this.connection = new Redis(this.options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    this.connection.on('error', () => {});
  }

  /**
   * The BullMQ queue, made once the connection is ready: BullMQ checks the server when it is made, and on a
   * connection without an offline queue that check fails for good if it runs before the connection is up.
   */
  private async open(): Promise<Queue<HandoffJobData>> {
    if (this.queue) return this.queue;
    if (this.connection.status === 'wait') await this.connection.connect().catch(() => {});
    if (this.connection.status !== 'ready') {
      await Promise.race([once(this.connection, 'ready'), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    }
    if (this.connection.status !== 'ready') throw new ParleyError('REDIS_UNAVAILABLE', 'Redis is not reachable for the handoff queue');
    if (!this.queue) {
      this.queue = new Queue<HandoffJobData>(this.name, { connection: this.connection, prefix: this.prefix });
      this.queue.on('error', () => {});
    }
    return this.queue;
  }

  /** Enqueues the handoff's announcement; `priority` 1 is served first. */
  async add(handoffId: string, priority: number): Promise<void> {
    const queue = await this.open();
    await queue.add('announce', { handoffId }, {
      jobId: handoffId,
      priority,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      // Completed jobs stay a week, so a late second add of the same handoff is still a no-op; failed ones stay.
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: false,
    });
  }

  /**
   * Starts processing in this process. A job whose processor throws is retried with backoff. 50 jobs at once by
   * default: a job mostly waits on the database and Redis, and jobs running together share one read and one write
   * (HandoffService.announce), so a burst of handoffs costs a few statements, not two per handoff.
   */
  startWorker(processor: HandoffProcessor, options: { concurrency?: number; lockDurationMs?: number; stalledIntervalMs?: number } = {}): Worker<HandoffJobData> {
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => {});
    this.worker = new Worker<HandoffJobData>(
      this.name,
      (job: Job<HandoffJobData>) => processor(job.data, job.attemptsMade + 1),
      {
        connection: this.workerConnection, prefix: this.prefix, concurrency: options.concurrency ?? 50,
        // A job whose worker died (its lock expired) is found stalled and run again by another worker.
        ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      },
    );
    this.worker.on('error', (error) => this.options.logger.warn({ err: error.message }, 'handoff worker error'));
    this.worker.on('failed', (job, error) =>
      this.options.logger.warn({ handoffId: job?.data.handoffId, attempt: job?.attemptsMade, err: error.message }, 'announcing a handoff failed'),
    );
    return this.worker;
  }

  /** The BullMQ queue, for inspection (failed jobs, counts). */
  bull(): Promise<Queue<HandoffJobData>> {
    return this.open();
  }

  async close(): Promise<void> {
    await this.worker?.close().catch(() => {});
    await this.queue?.close().catch(() => {});
    this.connection.disconnect();
    this.workerConnection?.disconnect();
  }
}
