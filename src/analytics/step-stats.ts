/**
 * Per-step figures of one flow for Parley Studio's map, read from analytics_turns: counts only, never a conversation
 * or a customer. Every step: how many conversations reached it (a turn ran it; turns recorded before migration 0016
 * only say where they left the conversation, so for those only the question waited on counts). A question (`ask`):
 * how many were handed to a person on their next turn, and how many stopped there (their last turn left them waiting
 * on it, in bot mode, quiet since, as the report counts drop-off). A `handoff` step: how many it handed to a person (a desk
 * took the handoff), and how many stopped there (it found nobody to take them, the bot went on, and they were quiet
 * since). The flow's own
 * figures: conversations that ran it, and those handed over in a turn it ran.
 */
import type { Queryable } from '../store/types.ts';
import { stepKey } from './flow-trace.ts';
import { DEFAULT_QUIET_MS } from './report.ts';

export interface StepCounts {
  step: string;
  reached: number;
  droppedOff: number;
  handedOver: number;
}

export interface FlowStepStats {
  flow: string;
  since: string;
  /** Conversations that ran the flow (started it, or were in it) at least once. */
  conversations: number;
  /** Conversations handed to a person in a turn the flow ran in. */
  handedOver: number;
  steps: StepCounts[];
}

export interface StepStatsOptions {
  since: Date;
  now?: Date;
  quietMs?: number;
}

interface Row {
  conversation_id: string; flows: string[]; flow: string | null; step: string | null; steps: string[]; handoff_step: string | null;
  mode: string; outcome: string; at: Date | string;
}

export async function flowStepStats(db: Queryable, flow: string, options: StepStatsOptions): Promise<FlowStepStats> {
  const now = options.now ?? new Date();
  const quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
  const rows = (await db.query<Row>(
    `SELECT conversation_id, flows, flow, step, steps, handoff_step, mode, outcome, at FROM analytics_turns
     WHERE at >= $1 AND conversation_id IN (SELECT conversation_id FROM analytics_turns WHERE at >= $1 AND (flow = $2 OR $2 = ANY(flows)))
     ORDER BY conversation_id, id`, [options.since, flow])).rows;
  const ran = new Set<string>();
  const handedOver = new Set<string>();
  const steps = new Map<string, { reached: Set<string>; droppedOff: Set<string>; handedOver: Set<string> }>();
  const of = (step: string) => steps.get(step) ?? steps.set(step, { reached: new Set(), droppedOff: new Set(), handedOver: new Set() }).get(step)!;
  const prefix = stepKey(flow, '');
  const own = (key: string | null) => (key?.startsWith(prefix) ? key.slice(prefix.length) : undefined);
  rows.forEach((row, i) => {
    const id = row.conversation_id;
    const next = rows[i + 1]?.conversation_id === id ? rows[i + 1] : undefined;
    const quietSince = !next && row.mode === 'bot' && now.getTime() - new Date(row.at).getTime() >= quietMs;
    if (row.flows.includes(flow) || row.flow === flow) ran.add(id);
    if (row.outcome === 'handoff' && row.flows.includes(flow)) handedOver.add(id);
    for (const key of row.steps) {
      const step = own(key);
      if (step !== undefined) of(step).reached.add(id);
    }
    const handoffStep = own(row.handoff_step);
    if (handoffStep !== undefined) {
      if (row.mode === 'human') of(handoffStep).handedOver.add(id);
      else if (quietSince) of(handoffStep).droppedOff.add(id);
    }
    if (row.flow !== flow || !row.step) return;
    const waiting = of(row.step);
    waiting.reached.add(id);
    if (next?.outcome === 'handoff') waiting.handedOver.add(id);
    if (quietSince) waiting.droppedOff.add(id);
  });
  return {
    flow,
    since: options.since.toISOString(),
    conversations: ran.size,
    handedOver: handedOver.size,
    steps: [...steps].map(([step, c]) => ({ step, reached: c.reached.size, droppedOff: c.droppedOff.size, handedOver: c.handedOver.size }))
      .sort((a, b) => a.step.localeCompare(b.step)),
  };
}
