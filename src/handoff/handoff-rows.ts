import type { HandoffContext, HandoffTrigger } from './context.ts';

export type HandoffStatus = 'waiting' | 'claimed' | 'resolved';

/** A handoff as the desks and the service see it. */
export interface Handoff {
  id: string;
  conversationId: string;
  queue: string;
  trigger: HandoffTrigger;
  reason: string;
  priority: number;
  status: HandoffStatus;
  context: HandoffContext;
  agentId: string | null;
  agentName: string | null;
  outcome: string | null;
  rating: number | null;
  /** Where each desk shows it (e.g. `slack` → the message's `channel:ts`). */
  deskRefs: Record<string, string>;
  createdAt: Date;
  /** When it began waiting in its queue: when it was created, or last transferred. */
  waitingSince: Date;
  announcedAt: Date | null;
  claimedAt: Date | null;
  resolvedAt: Date | null;
  offeredMessageAt: Date | null;
}

/** What a new handoff is created with; the rest of a Handoff starts empty (waiting, no agent). */
export type NewHandoff = Pick<Handoff, 'id' | 'conversationId' | 'queue' | 'trigger' | 'reason' | 'priority' | 'context' | 'createdAt'>;

export interface HandoffRow {
  id: string;
  conversation_id: string;
  queue: string;
  trigger: HandoffTrigger;
  reason: string;
  priority: number;
  status: HandoffStatus;
  context: HandoffContext;
  agent_id: string | null;
  agent_name: string | null;
  outcome: string | null;
  rating: number | null;
  desk_refs: Record<string, string>;
  created_at: Date;
  waiting_since: Date | null;
  announced_at: Date | null;
  claimed_at: Date | null;
  resolved_at: Date | null;
  offered_message_at: Date | null;
}

/** The store's own INSERT of a pending outbound message (src/store/sql-store.ts), for an agent's reply. */
export const INSERT_AGENT_REPLY = `
  INSERT INTO messages (conversation_id, direction, channel, text, buttons, attachments, status, in_reply_to, sender_name)
  VALUES ($1, 'out', $2, $3, '[]'::jsonb, '[]'::jsonb, 'pending', NULL, $4)
  RETURNING *`;

export function toHandoff(row: HandoffRow): Handoff {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    queue: row.queue,
    trigger: row.trigger,
    reason: row.reason,
    priority: Number(row.priority),
    status: row.status,
    context: row.context,
    agentId: row.agent_id,
    agentName: row.agent_name,
    outcome: row.outcome,
    rating: row.rating === null ? null : Number(row.rating),
    deskRefs: row.desk_refs ?? {},
    createdAt: new Date(row.created_at),
    waitingSince: new Date(row.waiting_since ?? row.created_at),
    announcedAt: row.announced_at && new Date(row.announced_at),
    claimedAt: row.claimed_at && new Date(row.claimed_at),
    resolvedAt: row.resolved_at && new Date(row.resolved_at),
    offeredMessageAt: row.offered_message_at && new Date(row.offered_message_at),
  };
}
