/**
 * The agent workspace's repository: its tables (notes, availability, canned responses, read markers) and what it
 * reads beside them for the console (the handoff list, the sidebar's earlier handoffs, automatic assignment). The
 * workspace reaches the database only through it; built by `store.repository(workspaceRepository)`.
 */
import type { Handoff } from '../handoff/handoff-rows.ts';
import type { Db } from '../store/types.ts';
import { AvailabilityStore } from './availability.ts';
import { CannedStore } from './canned-responses.ts';
import { listHandoffs, markRead, tabCounts, type ListedHandoff, type ListQuery } from './handoff-list.ts';
import { NoteStore } from './notes.ts';

/** One of the customer's earlier handoffs, for the sidebar. */
export interface PreviousHandoff {
  id: string;
  created_at: Date;
  status: string;
  context: Handoff['context'];
  outcome: string | null;
  agent_name: string | null;
}

export class WorkspaceRepository {
  readonly notes: NoteStore;
  readonly availability: AvailabilityStore;
  readonly canned: CannedStore;

  constructor(private readonly db: Db) {
    this.notes = new NoteStore(db);
    this.availability = new AvailabilityStore(db);
    this.canned = new CannedStore(db);
  }

  list(query: ListQuery): Promise<ListedHandoff[]> {
    return listHandoffs(this.db, query);
  }

  counts(agentId: string, queues: readonly string[]): ReturnType<typeof tabCounts> {
    return tabCounts(this.db, agentId, queues);
  }

  markRead(handoff: Handoff, agentId: string): Promise<void> {
    return markRead(this.db, handoff, agentId);
  }

  /** The customer's other handoffs, newest first. */
  async previousHandoffs(customerId: string, exceptId: string): Promise<PreviousHandoff[]> {
    const previous = await this.db.query<PreviousHandoff>(
      `SELECT h.id, h.created_at, h.status, h.context, h.outcome, h.agent_name FROM handoffs h JOIN conversations c ON c.id = h.conversation_id
       WHERE c.customer_id = $1 AND h.id <> $2 ORDER BY h.created_at DESC LIMIT 20`,
      [customerId, exceptId],
    );
    return previous.rows;
  }

  /**
   * Assigns waiting handoffs of the queue round-robin among its available agents (the one assigned longest ago
   * first) while they hold fewer than `maxPerAgent`; one process at a time per queue (an advisory lock). Returns what
   * it assigned.
   */
  async autoAssign(queue: string, agents: readonly { id: string; name: string }[], maxPerAgent: number): Promise<Array<{ handoffId: string; agentId: string }>> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('parley-auto-assign:' || $1))`, [queue]);
      const waiting = await tx.query<{ id: string }>(`SELECT id FROM handoffs WHERE status = 'waiting' AND queue = $1 ORDER BY priority, created_at LIMIT 50`, [queue]);
      if (waiting.rows.length === 0) return [];
      const state = await tx.query<{ agent_id: string; last_assigned_at: Date | null; open: string }>(
        `SELECT a.agent_id, a.last_assigned_at,
           (SELECT count(*) FROM handoffs h WHERE h.status = 'claimed' AND h.agent_id = a.agent_id) AS open
         FROM agent_availability a WHERE a.available AND a.agent_id = ANY($1::text[])`,
        [agents.map((agent) => agent.id)],
      );
      const candidates = state.rows.map((row) => ({ id: row.agent_id, last: row.last_assigned_at ? new Date(row.last_assigned_at).getTime() : 0, open: Number(row.open) }));
      const assigned: Array<{ handoffId: string; agentId: string }> = [];
      for (const { id: handoffId } of waiting.rows) {
        const next = candidates.filter((c) => c.open < maxPerAgent).sort((a, b) => a.last - b.last || a.id.localeCompare(b.id))[0];
        if (!next) break;
        const agent = agents.find((a) => a.id === next.id)!;
        const taken = await tx.query(
          `UPDATE handoffs SET status = 'claimed', agent_id = $2, agent_name = $3, claimed_at = now() WHERE id = $1 AND status = 'waiting'`,
          [handoffId, agent.id, agent.name]);
        if (taken.rowCount !== 1) continue;
        const at = await tx.query<{ at: Date }>(`UPDATE agent_availability SET last_assigned_at = clock_timestamp() WHERE agent_id = $1 RETURNING last_assigned_at AS at`, [agent.id]);
        next.last = new Date(at.rows[0]!.at).getTime();
        next.open += 1;
        assigned.push({ handoffId, agentId: agent.id });
      }
      return assigned;
    });
  }
}

/** For `store.repository`. */
export const workspaceRepository = (db: Db): WorkspaceRepository => new WorkspaceRepository(db);
