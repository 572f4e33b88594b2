import type { Handoff } from '../../src/handoff/handoff-rows.ts';

/** A handoff as the console's list shows it. */
export interface HandoffView {
  id: string;
  queue: string;
  status: Handoff['status'];
  trigger: Handoff['trigger'];
  reason: string;
  priority: number;
  customerName: string | null;
  channel: string;
  agentId: string | null;
  agentName: string | null;
  summary: string;
  /** Who wrote the summary: the chat model or Parley (extractive). */
  summarySource: 'model' | 'extractive';
  waitingSince: string;
  claimedAt: string | null;
  resolvedAt: string | null;
  outcome: string | null;
}

export function handoffView(handoff: Handoff): HandoffView {
  return {
    id: handoff.id,
    queue: handoff.queue,
    status: handoff.status,
    trigger: handoff.trigger,
    reason: handoff.reason,
    priority: handoff.priority,
    customerName: handoff.context.customer.name,
    channel: handoff.context.channel.id,
    agentId: handoff.agentId,
    agentName: handoff.agentName,
    summary: handoff.context.summary,
    summarySource: handoff.context.summarySource ?? 'extractive',
    waitingSince: handoff.context.waitingSince,
    claimedAt: handoff.claimedAt?.toISOString() ?? null,
    resolvedAt: handoff.resolvedAt?.toISOString() ?? null,
    outcome: handoff.outcome,
  };
}
