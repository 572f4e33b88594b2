import type { PartFactory } from '../core/part.ts';
import { handoffRepository } from '../handoff/handoff-store.ts';
import { AppMetrics } from './metrics.ts';
import { askAfterHandoff, createRatingHooks } from './ratings.ts';
import { analyticsRepository } from './repository.ts';
import { createTurnRecorder } from './turn-recorder.ts';

/**
 * The conversation rating (docs/report.md): the rating question after a resolved handoff or a goodbye, and the
 * customer's answer. Its hooks go before the handoff's, so it takes every rating.
 */
export const ratingsPart: PartFactory = ({ store, services }) => {
  const { ratings } = store.repository(analyticsRepository);
  const handoffs = store.repository(handoffRepository);
  return {
    name: 'ratings',
    hooks: createRatingHooks({
      ratings,
      closeHandoffRating: (handoffId, rating) => handoffs.closeRating(handoffId, rating),
      // After a rating of a resolved handoff, the bot's return point.
      resumeAfterRating: async (conversation, handoffId) => services.handoff?.service.resumeAfterRating(conversation, handoffId),
    }),
    // Ask for the rating after a resolve only if this conversation was never asked.
    provides: { askRating: askAfterHandoff(ratings) },
  };
};

/**
 * Per-turn analytics and the Prometheus metrics (docs/report.md): one analytics row per turn written by the turn's own
 * commit, the turn latency, each channel's failed sends, the handoffs' waits and queue. List it after every part with
 * turn hooks: its recorder sees each turn as the others left it.
 */
export const analyticsPart: PartFactory = ({ store, logger, services }) => {
  const metrics = new AppMetrics({
    logger,
    pendingReplies: () => store.pendingReplyCount(),
    // Without the handoff part no handoff waits for anyone.
    waitingHandoffs: async () => (await services.handoff?.service.handoffs.waitingCount()) ?? { count: 0, oldestSeconds: 0 },
    // The handoff queue is read at each scrape.
    handoffJobs: async () => (await (await services.handoff?.queue.bull())?.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed')) ?? {},
  });
  return {
    name: 'analytics',
    hooks: createTurnRecorder({ metrics }),
    followers: () => [metrics.desk()],
    provides: { metrics },
  };
};
