/**
 * The turn pipeline's `committed` hook for analytics and metrics: one analytics_turns row per turn (the
 * pseudonymous customer id, channel, flows, steps run, position, mode, outcome, timing: no channel identity, no text), and the
 * turn's duration in the latency histogram. A row that cannot be written is logged and skipped: the customer's turn
 * is already committed and must not fail over a figure.
 */
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { Queryable } from '../store/types.ts';
import type { AppMetrics } from './metrics.ts';

export interface TurnRecorderOptions {
  db: Queryable;
  logger: Logger;
  metrics?: AppMetrics;
}

export function createTurnRecorder(options: TurnRecorderOptions): TurnHooks {
  return {
    async committed(conversation, inboundId, input, turn) {
      options.metrics?.turnSeconds.observe({ channel: conversation.channel, outcome: turn.outcome }, turn.durationMs / 1000);
      const kind = inboundId !== null ? 'message' : input.event === 'start' ? 'start' : undefined;
      if (!kind) return;
      const state = conversation.state;
      await options.db.query(
        `INSERT INTO analytics_turns (conversation_id, customer_id, channel, kind, day, flows, flow, step, mode, outcome, replies, duration_ms, steps, handoff_step)
         VALUES ($1, $2, $3, $4, (now() AT TIME ZONE 'UTC')::date, $5::text[], $6, $7, $8, $9, $10, $11, $12::text[], $13)`,
        [conversation.id, conversation.customerId, conversation.channel, kind, [...turn.flows], state.flow ?? null, state.step ?? null,
          conversation.mode, turn.outcome, turn.replies, turn.durationMs, [...turn.steps], turn.handoffStep ?? null],
      ).catch((error: unknown) => {
        options.logger.warn({ conversationId: conversation.id, trace_id: turn.traceId, err: error instanceof Error ? error.message : String(error) }, 'analytics: turn not recorded');
      });
    },
  };
}
