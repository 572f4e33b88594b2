import type { Logger } from '../infra/logger.ts';
import type { TranscriptLine } from './context.ts';
import type { Handoff } from './handoff-rows.ts';

/** Who acts on a handoff: an agent signed in to the console, or a Slack user. */
export interface AgentIdentity {
  /** Stable and unique across desks: `ana`, `slack:U123`. */
  id: string;
  name: string;
}

/**
 * A place agents work from (the web console, a Slack channel). The queue's worker announces each handoff to every
 * desk; a retried job announces it again, so `announce` must be idempotent.
 */
export interface AgentDesk {
  readonly id: string;
  announce(handoff: Handoff): Promise<void>;
  /** The handoff was claimed or resolved. */
  changed?(handoff: Handoff): Promise<void>;
  /** A line was added to the conversation of an open handoff; `origin` is the desk it came from, if any. */
  line?(handoff: Handoff, line: TranscriptLine, origin?: string): Promise<void>;
  /** Parley told the customer something about their handoff (their place in the queue, who joined). */
  notice?(handoff: Handoff, line: TranscriptLine): Promise<void>;
}

/** Calls every desk; `announce` fails when any desk fails (so the job is retried), the others only log. */
export class DeskFanout {
  constructor(private readonly desks: AgentDesk[], private readonly logger: Logger) {}

  add(desk: AgentDesk): void {
    this.desks.push(desk);
  }

  async announce(handoff: Handoff): Promise<void> {
    const results = await Promise.allSettled(this.desks.map((desk) => desk.announce(handoff)));
    const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [`${this.desks[i]!.id}: ${String(result.reason)}`] : []));
    if (failed.length > 0) throw new Error(`announcing handoff failed on ${failed.join('; ')}`);
  }

  async changed(handoff: Handoff): Promise<void> {
    await this.each((desk) => desk.changed?.(handoff));
  }

  async line(handoff: Handoff, line: TranscriptLine, origin?: string): Promise<void> {
    await this.each((desk) => desk.line?.(handoff, line, origin));
  }

  async notice(handoff: Handoff, line: TranscriptLine): Promise<void> {
    await this.each((desk) => desk.notice?.(handoff, line));
  }

  private async each(fn: (desk: AgentDesk) => Promise<void> | undefined): Promise<void> {
    await Promise.all(this.desks.map(async (desk) => {
      try {
        await fn(desk);
      } catch (error) {
        this.logger.warn({ desk: desk.id, err: error instanceof Error ? error.message : String(error) }, 'agent desk update failed');
      }
    }));
  }
}
