import { toHandoff, type Handoff, type HandoffRow } from '../handoff/handoff-rows.ts';
import type { Queryable } from '../store/types.ts';

export const LIST_TABS = ['waiting', 'mine', 'open', 'resolved', 'all'] as const;
export type ListTab = (typeof LIST_TABS)[number];

export interface ListQuery {
  agentId: string;
  /** The agent's queues: nothing outside them is listed or searched. */
  queues: readonly string[];
  tab: ListTab;
  queue?: string;
  channel?: string;
  /** A language tag or its prefix: `de` finds `de-AT`. */
  language?: string;
  /** Words searched in the customer's name, the transcript and the notes. */
  q?: string;
  limit?: number;
}

export interface ListedHandoff {
  handoff: Handoff;
  customerName: string | null;
  /** The customer's messages this agent has not read, counted from their read marker (0 once resolved). */
  unread: number;
  lastMessageAt: string | null;
  /** The conversation's latest message, clipped. */
  preview: string | null;
}

const TAB_FILTER: Record<ListTab, string> = {
  waiting: `h.status = 'waiting'`,
  mine: `h.status = 'claimed' AND h.agent_id = $2`,
  open: `h.status <> 'resolved'`,
  resolved: `h.status = 'resolved'`,
  all: 'true',
};

/**
 * The customer's messages in handoff `h`'s conversation after agent read marker `r`, since the conversation's previous
 * handoff was resolved (what came before belongs to that one).
 */
const UNREAD = `(SELECT count(*) FROM messages m WHERE m.conversation_id = h.conversation_id AND m.direction = 'in'
  AND m.id > COALESCE(r.last_message_id, 0)
  AND m.created_at >= COALESCE((SELECT max(p.resolved_at) FROM handoffs p
    WHERE p.conversation_id = h.conversation_id AND p.id <> h.id AND p.resolved_at <= h.created_at), '-infinity'))`;

/** `%words%` for ILIKE, with the pattern's own wildcards taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * The workspace's list of handoffs. Unread counts and the latest message are derived when the list is read (from
 * the messages and the agent's read marker); nothing is written when a customer writes.
 */
export async function listHandoffs(db: Queryable, query: ListQuery): Promise<ListedHandoff[]> {
  const queues = query.queue === undefined ? [...query.queues] : query.queues.filter((queue) => queue === query.queue);
  if (queues.length === 0) return [];
  const params: unknown[] = [queues, query.agentId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = [`h.queue = ANY($1::text[])`, TAB_FILTER[query.tab]];
  if (query.channel) where.push(`c.channel = ${param(query.channel)}`);
  if (query.language) where.push(`lower(COALESCE(h.context -> 'customer' ->> 'locale', '')) LIKE ${param(`${query.language.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`)}`);
  if (query.q?.trim()) {
    const words = param(contains(query.q.trim()));
    where.push(`(cu.display_name ILIKE ${words}
      OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = h.conversation_id AND m.text ILIKE ${words})
      OR EXISTS (SELECT 1 FROM handoff_notes n WHERE n.conversation_id = h.conversation_id AND n.text ILIKE ${words}))`);
  }
  const order = query.tab === 'waiting' ? 'h.priority, h.created_at' : query.tab === 'resolved' ? 'h.resolved_at DESC' : `h.status DESC, last.created_at DESC NULLS LAST`;
  const result = await db.query<HandoffRow & { display_name: string | null; unread: string; last_text: string | null; last_at: Date | null }>(
    `SELECT h.*, cu.display_name, last.text AS last_text, last.created_at AS last_at,
       CASE WHEN h.status = 'resolved' THEN 0 ELSE ${UNREAD} END AS unread
     FROM handoffs h
     JOIN conversations c ON c.id = h.conversation_id
     JOIN customers cu ON cu.id = c.customer_id
     LEFT JOIN handoff_reads r ON r.handoff_id = h.id AND r.agent_id = $2
     LEFT JOIN LATERAL (SELECT m.text, m.created_at FROM messages m WHERE m.conversation_id = h.conversation_id ORDER BY m.id DESC LIMIT 1) last ON true
     WHERE ${where.join(' AND ')}
     ORDER BY ${order} LIMIT ${param(Math.min(query.limit ?? 200, 500))}`,
    params,
  );
  return result.rows.map((row) => ({
    handoff: toHandoff(row),
    customerName: row.display_name,
    unread: Number(row.unread),
    lastMessageAt: row.last_at ? new Date(row.last_at).toISOString() : null,
    preview: row.last_text === null ? null : clip(row.last_text, 140),
  }));
}

/** How many handoffs each tab holds for the agent, and their unread customer messages in open ones (for tab badges and the page title). */
export async function tabCounts(db: Queryable, agentId: string, queues: readonly string[]): Promise<{ waiting: number; mine: number; open: number; unread: number }> {
  const result = await db.query<{ waiting: string; mine: string; open: string; unread: string }>(
    `SELECT count(*) FILTER (WHERE h.status = 'waiting') AS waiting,
            count(*) FILTER (WHERE h.status = 'claimed' AND h.agent_id = $2) AS mine,
            count(*) AS open,
            COALESCE(sum(${UNREAD}), 0) AS unread
     FROM handoffs h LEFT JOIN handoff_reads r ON r.handoff_id = h.id AND r.agent_id = $2
     WHERE h.status <> 'resolved' AND h.queue = ANY($1::text[])`,
    [[...queues], agentId],
  );
  const row = result.rows[0]!;
  return { waiting: Number(row.waiting), mine: Number(row.mine), open: Number(row.open), unread: Number(row.unread) };
}

/** Marks everything in the handoff's conversation as read by this agent (the marker only moves forward). */
export async function markRead(db: Queryable, handoff: Handoff, agentId: string): Promise<void> {
  await db.query(
    `INSERT INTO handoff_reads (handoff_id, agent_id, last_message_id)
       SELECT $1, $2, COALESCE(max(id), 0) FROM messages WHERE conversation_id = $3
     ON CONFLICT (handoff_id, agent_id) DO UPDATE SET last_message_id = GREATEST(handoff_reads.last_message_id, EXCLUDED.last_message_id), read_at = now()`,
    [handoff.id, agentId, handoff.conversationId],
  );
}

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
