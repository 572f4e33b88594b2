/**
 * Operations figures for Prometheus (prom-client), one registry per app so that several apps in one process (tests)
 * keep theirs apart. Served at /metrics (src/server/report-routes.ts); every name is documented in docs/report.md.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChannelAdapter } from '../core/channel.ts';
import { isParleyError } from '../core/errors.ts';
import type { AgentDesk } from '../handoff/desk.ts';
import type { Logger } from '../infra/logger.ts';

export interface MetricsOptions {
  /** Replies stored and not yet delivered (the store's), read at each scrape. */
  pendingReplies: () => Promise<number>;
  /** How many handoffs wait and how long the longest-waiting one has (the handoff module's), read at each scrape. */
  waitingHandoffs: () => Promise<{ count: number; oldestSeconds: number }>;
  logger: Logger;
  /** Job counts of the BullMQ handoffs queue; absent when no agent desk is configured. */
  handoffJobs?: () => Promise<Record<string, number>>;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

export class AppMetrics {
  readonly registry = new Registry();
  readonly turnSeconds: Histogram<'channel' | 'outcome'>;
  readonly handoffWaitSeconds: Histogram<'queue'>;
  readonly deliveryFailures: Counter<'channel' | 'kind'>;

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    const quietly = async (what: string, fn: () => Promise<void>) => {
      // A scrape while Redis or the database is away still answers, without that figure.
      await fn().catch((error: unknown) => options.logger.debug({ err: String(error) }, `metrics: ${what} unavailable`));
    };
    collectDefaultMetrics({ register: this.registry });
    this.turnSeconds = new Histogram({
      name: 'parley_turn_duration_seconds', help: 'Time from taking a turn to committing it (engine, effects, hooks, commit)',
      labelNames: ['channel', 'outcome'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
    });
    this.handoffWaitSeconds = new Histogram({
      name: 'parley_handoff_wait_seconds', help: 'Time from a handoff being opened to an agent claiming it',
      labelNames: ['queue'], buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600], registers,
    });
    this.deliveryFailures = new Counter({
      name: 'parley_delivery_failures_total', help: 'Failed attempts to deliver a reply, by channel; kind=rejected when the channel refused it for good',
      labelNames: ['channel', 'kind'], registers,
    });
    new Gauge({
      name: 'parley_handoff_queue_jobs', help: 'Jobs of the BullMQ handoffs queue, by state', labelNames: ['state'], registers,
      async collect() {
        if (!options.handoffJobs) return;
        await quietly('handoff queue', async () => {
          const counts = await options.handoffJobs!();
          for (const state of QUEUE_STATES) this.set({ state }, counts[state] ?? 0);
        });
      },
    });
    new Gauge({
      name: 'parley_outbox_pending', help: 'Replies stored and not yet delivered', registers,
      async collect() {
        await quietly('outbox', async () => {
          this.set(await options.pendingReplies());
        });
      },
    });
    new Gauge({
      name: 'parley_handoffs_waiting', help: 'Handoffs waiting for an agent', registers,
      async collect() {
        await quietly('handoffs', async () => {
          this.set((await options.waitingHandoffs()).count);
        });
      },
    });
    new Gauge({
      name: 'parley_handoff_oldest_wait_seconds', help: 'How long the longest-waiting handoff has waited (0 when none waits)', registers,
      async collect() {
        await quietly('handoffs', async () => {
          this.set((await options.waitingHandoffs()).oldestSeconds);
        });
      },
    });
  }

  /** The channel, counting every failed send by channel. */
  instrument(channel: ChannelAdapter): ChannelAdapter {
    const failures = this.deliveryFailures;
    return {
      id: channel.id,
      capabilities: channel.capabilities,
      ...(channel.live ? { live: channel.live } : {}),
      async send(address, message) {
        try {
          return await channel.send(address, message);
        } catch (error) {
          failures.inc({ channel: address.channel, kind: isParleyError(error, 'CHANNEL_SEND_REJECTED') ? 'rejected' : 'retried' });
          throw error;
        }
      },
    };
  }

  /** A desk that shows nothing: it times each handoff from opening to its first claim. */
  desk(): AgentDesk {
    const wait = this.handoffWaitSeconds;
    return {
      id: 'metrics',
      async announce() {},
      async changed(handoff) {
        if (handoff.status === 'claimed' && handoff.claimedAt) wait.observe({ queue: handoff.queue }, (handoff.claimedAt.getTime() - handoff.createdAt.getTime()) / 1000);
      },
    };
  }

  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
