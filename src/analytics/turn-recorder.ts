/**
 * The turn pipeline's hooks for analytics and metrics: one analytics_turns row per turn (the pseudonymous customer id,
 * channel, flows, steps run, position, mode, outcome, timing: no channel identity, no text), written by the turn's own
 * commit (`beforeCommit`), and the turn's duration in the latency histogram once it is committed.
 */
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import { TURN_CUSTOMER } from '../store/types.ts';
import type { AppMetrics } from './metrics.ts';

export interface TurnRecorderOptions {
  metrics?: AppMetrics;
}

export function createTurnRecorder(options: TurnRecorderOptions): TurnHooks {
  return {
    beforeCommit(conversation, inboundId, input, turn, unit) {
      const kind = inboundId !== null ? 'message' : input.event === 'start' ? 'start' : undefined;
      if (!kind) return;
      const state = conversation.state;
      unit.write({
        kind: 'insert', table: 'analytics_turns',
        row: {
          conversation_id: conversation.id, customer_id: TURN_CUSTOMER, channel: conversation.channel, kind,
          day: new Date().toISOString().slice(0, 10), flows: [...turn.flows], flow: state.flow ?? null, step: state.step ?? null,
          mode: conversation.mode, outcome: turn.outcome, replies: turn.replies, duration_ms: turn.durationMs, steps: [...turn.steps],
          handoff_step: turn.handoffStep ?? null,
        },
        casts: { conversation_id: 'uuid', day: 'date', flows: 'text[]', steps: 'text[]', replies: 'integer', duration_ms: 'integer' },
      });
    },
    async committed(conversation, _inboundId, _input, turn) {
      options.metrics?.turnSeconds.observe({ channel: conversation.channel, outcome: turn.outcome }, turn.durationMs / 1000);
    },
  };
}
