import { MAX_TRANSCRIPT_LINES } from '../../src/handoff/build-context.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import type { HandoffStore } from '../../src/handoff/handoff-store.ts';
import { WAITING } from '../../src/store/waiting-replies.ts';
import type { Store, StoredMessage } from '../../src/store/types.ts';

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

/** Where an outbound message is on its way to the customer, as the console's transcript shows it. */
export type DeliveryState = 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'waiting';

export interface DeliveryView {
  state: DeliveryState;
  /** Why it failed, why it waits, or the error a retry is about. */
  reason?: string;
}

/** The delivery state of an outbound message (undefined for the customer's own messages). */
export function deliveryView(message: Pick<StoredMessage, 'direction' | 'status' | 'deliveryStatus' | 'lastError'>): DeliveryView | undefined {
  if (message.direction !== 'out') return undefined;
  if (message.status === 'failed') return { state: 'failed', reason: message.lastError ?? 'not delivered' };
  if (message.status === 'pending') {
    if (message.deliveryStatus === WAITING) return { state: 'waiting', reason: message.lastError ?? 'waiting for the customer' };
    return message.lastError ? { state: 'sending', reason: `retrying after: ${message.lastError}` } : { state: 'sending' };
  }
  const reported = message.deliveryStatus;
  return { state: reported === 'delivered' || reported === 'read' ? reported : 'sent' };
}

/**
 * Delivery states of the conversation's latest outbound messages, by message id, and of its agents' replies that
 * went out on the customer's other channel.
 */
export async function deliveryStates(store: Store, handoffs: HandoffStore, conversationId: string, limit = MAX_TRANSCRIPT_LINES): Promise<Record<string, DeliveryView>> {
  const messages = [
    ...await store.transcript(conversationId, { latest: true, limit: Math.min(limit, 1000) }),
    ...await handoffs.agentRepliesElsewhere(conversationId),
  ];
  const states: Record<string, DeliveryView> = {};
  for (const message of messages) {
    const view = deliveryView(message);
    if (view) states[message.id] = view;
  }
  return states;
}
