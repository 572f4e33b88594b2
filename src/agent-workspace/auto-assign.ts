import type { Agent } from '../handoff/agents.ts';
import type { AgentDesk } from '../handoff/desk.ts';
import type { Handoff } from '../handoff/handoff-rows.ts';
import type { HandoffService } from '../handoff/handoff-service.ts';
import type { Logger } from '../infra/logger.ts';
import type { Db } from '../store/types.ts';

/** A queue's automatic assignment (HANDOFF_AUTO_ASSIGN): round-robin among its available console agents. */
export interface AutoAssignRule {
  /** Open handoffs an agent may hold before they are skipped. */
  maxPerAgent: number;
}

export interface AutoAssignOptions {
  db: Db;
  service: HandoffService;
  /** The console's agents. */
  agents: readonly Agent[];
  /** Queues with automatic assignment; the others are claimed by hand (and on the Slack and Bot Framework desks). */
  rules: Readonly<Record<string, AutoAssignRule>>;
  logger: Logger;
}

/**
 * Assigns waiting handoffs of queues with a rule to the available console agent of the queue who was assigned
 * longest ago, while they hold fewer than the cap. Runs when a handoff is announced, resolved or transferred, and
 * when an agent becomes available. Per queue, one process at a time (an advisory lock), so two processes never
 * both hand the same agent past their cap; a desk that claims meanwhile wins (the assignment only takes a waiting
 * handoff).
 */
export class AutoAssigner {
  /** Runs as an agent desk: the queue's worker calls it with every announcement, like every other desk. */
  readonly desk: AgentDesk;

  constructor(private readonly options: AutoAssignOptions) {
    this.desk = {
      id: 'auto-assign',
      announce: (handoff) => this.fillQuietly(handoff.queue),
      changed: (handoff) => (handoff.status === 'claimed' ? Promise.resolve() : this.fillQuietly(handoff.queue)),
    };
  }

  ruleOf(queue: string): AutoAssignRule | undefined {
    return this.options.rules[queue];
  }

  /** Assigns what it can in this queue; returns the handoffs it assigned. */
  async fill(queue: string): Promise<Handoff[]> {
    const rule = this.options.rules[queue];
    if (!rule) return [];
    const agents = this.options.agents.filter((agent) => agent.queues.includes(queue));
    if (agents.length === 0) return [];
    const picks = await this.options.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('parley-auto-assign:' || $1))`, [queue]);
      const waiting = await tx.query<{ id: string }>(`SELECT id FROM handoffs WHERE status = 'waiting' AND queue = $1 ORDER BY priority, created_at LIMIT 50`, [queue]);
      if (waiting.rows.length === 0) return [];
      const ids = agents.map((agent) => agent.id);
      const state = await tx.query<{ agent_id: string; last_assigned_at: Date | null; open: string }>(
        `SELECT a.agent_id, a.last_assigned_at,
           (SELECT count(*) FROM handoffs h WHERE h.status = 'claimed' AND h.agent_id = a.agent_id) AS open
         FROM agent_availability a WHERE a.available AND a.agent_id = ANY($1::text[])`,
        [ids],
      );
      const candidates = state.rows.map((row) => ({ id: row.agent_id, last: row.last_assigned_at ? new Date(row.last_assigned_at).getTime() : 0, open: Number(row.open) }));
      const assigned: Array<{ handoffId: string; agentId: string }> = [];
      for (const { id: handoffId } of waiting.rows) {
        const next = candidates.filter((c) => c.open < rule.maxPerAgent).sort((a, b) => a.last - b.last || a.id.localeCompare(b.id))[0];
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
    const done: Handoff[] = [];
    for (const pick of picks) {
      const handoff = await this.options.service.handoffs.get(pick.handoffId);
      if (!handoff) continue;
      this.options.logger.info({ handoffId: handoff.id, agentId: pick.agentId, queue }, 'handoff assigned automatically');
      await this.options.service.assigned(handoff);
      done.push(handoff);
    }
    return done;
  }

  private async fillQuietly(queue: string): Promise<void> {
    try {
      await this.fill(queue);
    } catch (error) {
      this.options.logger.warn({ queue, err: error instanceof Error ? error.message : String(error) }, 'automatic assignment failed');
    }
  }
}
