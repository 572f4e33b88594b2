/**
 * The customer's data (issue 7, points 4–5): one redaction pass for prompts and logs (src/infra/redact.ts), transcript
 * retention (retention.ts), export and erasure (customer-export.ts, customer-erase.ts) from the CLI and the admin API,
 * and data requests customers make in conversation (privacy-hooks.ts). See docs/privacy.md.
 */
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { AdminAuth } from '../server/auth/admin-auth.ts';
import type { CustomerRows } from '../store/customer-rows.ts';
import type { EraseDeps } from './customer-erase.ts';
import type { DataRequests } from './data-requests.ts';
import type { PrivacyRepository } from './repository.ts';
import type { PrivacyConfig } from './privacy-config.ts';
import { createPrivacyHooks } from './privacy-hooks.ts';
import { registerPrivacyRoutes } from './admin-routes.ts';
import { RetentionJob, type DeskCopyRecords } from './retention.ts';

export { PRIVACY_ENV, privacyConfig, type PrivacyConfig } from './privacy-config.ts';
export { redact, redactDeep } from '../infra/redact.ts';
export { exportCustomer } from './customer-export.ts';
export { eraseCustomer } from './customer-erase.ts';

/** Prefix of Parley's own Redis keys (locks, outbox markers, web chat); the queues' prefix is configured. */
export const PARLEY_KEY_PREFIX = 'parley:';

export interface PrivacySystemOptions {
  config: PrivacyConfig;
  /** The privacy module's repository (src/privacy/repository.ts). */
  repository: PrivacyRepository;
  /** Every module's tables that name a customer (src/customer-data.ts): what an export shows and an erase deletes. */
  customerData: readonly CustomerRows[];
  redis: Redis;
  redisUrl: string;
  /** The queues' key prefix (HANDOFF_QUEUE_PREFIX). */
  queuePrefix: string;
  /** Removes handoff jobs by id; absent when no handoff queue runs. */
  removeJobs?: EraseDeps['removeJobs'];
  /** Agent desks' copies of handoffs outside Parley (the Slack desk's messages). */
  handoffCopies?: EraseDeps['handoffCopies'];
  /** Which handoffs the desks keep copies of (the handoff module's repository), for retention. */
  deskRefs?: DeskCopyRecords;
  logger: Logger;
  /** The customer an admin names (the customers module's `customerRef`). */
  customerOf: (ref: string) => Promise<string>;
}

export interface PrivacySystem {
  hooks: TurnHooks;
  requests: DataRequests;
  /** What erasing needs besides the repository. */
  eraseDeps: Omit<EraseDeps, 'repository'>;
  register(http: FastifyInstance, auth: AdminAuth): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createPrivacySystem(options: PrivacySystemOptions): PrivacySystem {
  const { repository } = options;
  const { requests } = repository;
  const retention = new RetentionJob({
    repository, modules: options.customerData, redisUrl: options.redisUrl, prefix: options.queuePrefix, days: options.config.retentionDays, logger: options.logger,
    ...(options.handoffCopies ? { handoffCopies: options.handoffCopies } : {}),
    ...(options.deskRefs ? { deskRefs: options.deskRefs } : {}),
  });
  const eraseDeps: Omit<EraseDeps, 'repository'> = {
    customerData: options.customerData,
    redis: options.redis,
    redisPrefixes: [PARLEY_KEY_PREFIX, options.queuePrefix],
    ...(options.removeJobs ? { removeJobs: options.removeJobs } : {}),
    ...(options.handoffCopies ? { handoffCopies: options.handoffCopies } : {}),
  };
  return {
    hooks: createPrivacyHooks({ requests, logger: options.logger }),
    requests,
    eraseDeps,
    register: (http, auth) => registerPrivacyRoutes(http, { auth, repository, requests, erase: eraseDeps, customerOf: options.customerOf }),
    async start() {
      await retention.start().catch((error: unknown) =>
        options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'transcript retention could not be scheduled'));
    },
    close: () => retention.close(),
  };
}

/**
 * Removes jobs of a BullMQ queue by id (finished, failed or waiting; a job a worker holds right now is skipped), and
 * the entries of the queue's event stream that name them.
 */
export async function removeQueueJobs(queue: Pick<Queue, 'remove' | 'keys'>, client: Redis, jobIds: readonly string[]): Promise<number> {
  let removed = 0;
  for (const id of jobIds) removed += await queue.remove(id).catch(() => 0);
  const wanted = new Set(jobIds);
  const events = queue.keys.events;
  if (!events) return removed;
  for (let start = '-'; ; ) {
    const entries = await client.xrange(events, start, '+', 'COUNT', 1000);
    const mine = entries.filter(([, fields]) => fields.some((value, i) => i % 2 === 1 && wanted.has(value))).map(([id]) => id);
    if (mine.length > 0) await client.xdel(events, ...mine);
    if (entries.length < 1000) break;
    start = `(${entries.at(-1)![0]}`;
  }
  return removed;
}
