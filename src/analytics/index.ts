/**
 * Voice of the customer and operations (docs/report.md): per-turn analytics, the conversation rating, the report,
 * and the Prometheus metrics. `createAnalytics` builds the parts the composition root wires in.
 */
import type { ChannelAdapter } from '../core/channel.ts';
import { HandoffStore } from '../handoff/handoff-store.ts';
import type { Logger } from '../infra/logger.ts';
import type { Db } from '../store/types.ts';
import { AppMetrics } from './metrics.ts';
import { askAfterHandoff, createRatingHooks, RatingStore, type RatingHooksOptions } from './ratings.ts';
import { createTurnRecorder } from './turn-recorder.ts';

export { buildReport, type Report } from './report.ts';
export { runTurnTraced } from './flow-trace.ts';
export { parseDuration, parseSince } from './since.ts';
export { AppMetrics } from './metrics.ts';

export interface AnalyticsOptions {
  db: Db;
  logger: Logger;
  /** Job counts of the BullMQ handoffs queue, read at each scrape; absent or undefined without an agent desk. */
  handoffJobs?: () => Promise<Record<string, number> | undefined>;
  /** After a rating of a resolved handoff, the bot's return point (the handoff service's resumeAfterRating). */
  resumeAfterRating?: RatingHooksOptions['resumeAfterRating'];
}

export function createAnalytics(options: AnalyticsOptions) {
  const metrics = new AppMetrics({
    db: options.db, logger: options.logger,
    ...(options.handoffJobs ? { handoffJobs: async () => (await options.handoffJobs!()) ?? {} } : {}),
  });
  const ratings = new RatingStore(options.db);
  const handoffs = new HandoffStore(options.db);
  return {
    metrics,
    /** The `committed` hook: one analytics row and one latency observation per turn. */
    recorder: createTurnRecorder({ metrics }),
    /** Rating answers and the closing question; compose before the handoff hooks. */
    ratingHooks: createRatingHooks({
      ratings,
      closeHandoffRating: (handoffId, rating) => handoffs.closeRating(handoffId, rating),
      ...(options.resumeAfterRating ? { resumeAfterRating: options.resumeAfterRating } : {}),
    }),
    /** For the handoff service: ask for the rating after a resolve only if this conversation was never asked. */
    askAfterHandoff: askAfterHandoff(ratings),
    /** The channels, each counting its failed sends in the metrics. */
    instrument: (channels: ReadonlyMap<string, ChannelAdapter>) => new Map([...channels].map(([id, channel]) => [id, metrics.instrument(channel)])),
  };
}

export type Analytics = ReturnType<typeof createAnalytics>;
