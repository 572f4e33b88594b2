import type { Agent } from '../handoff/agents.ts';
import type { AgentDesk } from '../handoff/desk.ts';
import type { Handoff } from '../handoff/handoff-rows.ts';
import type { HandoffService } from '../handoff/handoff-service.ts';
import type { Logger } from '../infra/logger.ts';
import type { WorkspaceRepository } from './repository.ts';

/** A queue's automatic assignment (HANDOFF_AUTO_ASSIGN): round-robin among its available console agents. */
export interface AutoAssignRule {
  /** Open handoffs an agent may hold before they are skipped. */
  maxPerAgent: number;
}

export interface AutoAssignOptions {
  repository: WorkspaceRepository;
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
    const picks = await this.options.repository.autoAssign(queue, agents, rule.maxPerAgent);
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
