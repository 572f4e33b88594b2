import type { Redis } from 'ioredis';
import type { Note } from '../../src/agent-workspace/notes.ts';
import type { Suggestion } from '../../src/agent-workspace/suggestions.ts';
import type { AgentIdentity } from '../../src/handoff/desk.ts';
import type { TranscriptLine } from '../../src/handoff/context.ts';
import type { AgentDesk } from '../../src/handoff/desk.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import { batched } from '../../src/infra/batch.ts';
import { handoffView, type HandoffView } from './handoff-view.ts';

/**
 * What the console's sockets receive; each goes to the agents of its queue. A `line`'s `kind` is `notice` for what
 * Parley told the customer about their handoff, else the line's `from`.
 */
export type ConsoleEvent =
  | { type: 'handoff'; handoff: HandoffView }
  | { type: 'line'; handoffId: string; queue: string; line: TranscriptLine; kind?: 'customer' | 'bot' | 'agent' | 'notice' }
  | { type: 'note'; handoffId: string; queue: string; note: Note }
  | { type: 'assigned'; handoffId: string; queue: string; agent: AgentIdentity }
  | { type: 'transferred'; handoffId: string; queue: string; to: string }
  | { type: 'viewers'; handoffId: string; queue: string; agents: AgentIdentity[] }
  | { type: 'suggestions'; handoffId: string; queue: string; question: string; suggestions: Suggestion[] }
  | { type: 'typing'; handoffId: string; queue: string; who: 'customer' };

/** The queue whose agents receive the event. */
export function audienceOf(event: ConsoleEvent): string {
  return event.type === 'handoff' ? event.handoff.queue : event.queue;
}

type Listener = (event: ConsoleEvent) => void;

/**
 * The web console as an agent desk: every change is published on Redis, and every server process pushes it to the
 * sockets of the agents it serves, so an agent sees a handoff whichever process announced it.
 */
export class ConsoleDesk implements AgentDesk {
  readonly id = 'console';
  private readonly listeners = new Set<Listener>();
  private subscribed: Promise<unknown> | undefined;

  constructor(private readonly publisher: Redis, private readonly subscriber: Redis, private readonly channel: string) {
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      let events: ConsoleEvent[];
      try {
        // One event, or a list of the events published at once.
        const parsed = JSON.parse(raw) as ConsoleEvent | ConsoleEvent[];
        events = Array.isArray(parsed) ? parsed : [parsed];
      } catch {
        return;
      }
      for (const event of events) for (const listener of this.listeners) listener(event);
    });
  }

  async announce(handoff: Handoff): Promise<void> {
    await this.publish({ type: 'handoff', handoff: handoffView(handoff) });
  }

  async changed(handoff: Handoff): Promise<void> {
    await this.publish({ type: 'handoff', handoff: handoffView(handoff) });
    if (handoff.status === 'claimed' && handoff.agentId) {
      await this.publish({ type: 'assigned', handoffId: handoff.id, queue: handoff.queue, agent: { id: handoff.agentId, name: handoff.agentName ?? handoff.agentId } });
    }
  }

  async line(handoff: Handoff, line: TranscriptLine): Promise<void> {
    await this.publish({ type: 'line', handoffId: handoff.id, queue: handoff.queue, line, kind: line.from });
  }

  async notice(handoff: Handoff, line: TranscriptLine): Promise<void> {
    await this.publish({ type: 'line', handoffId: handoff.id, queue: handoff.queue, line, kind: 'notice' });
  }

  /** Events of the workspace that are no desk's business (notes, viewers, suggestions, typing). */
  async broadcast(event: ConsoleEvent): Promise<void> {
    await this.publish(event);
  }

  /** Returns the function that stops listening. */
  async listen(listener: Listener): Promise<() => void> {
    this.subscribed ??= this.subscriber.subscribe(this.channel);
    await this.subscribed;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async publish(event: ConsoleEvent): Promise<void> {
    await this.publishing(event);
  }

  /** Events published together (a burst of handoffs announced at once) go out as one message, in order. */
  private readonly publishing = batched(async (events: ConsoleEvent[]) => {
    // One event alone goes as it always did, which a process of an earlier version still reads.
    await this.publisher.publish(this.channel, JSON.stringify(events.length === 1 ? events[0] : events));
    return new Map<ConsoleEvent, void>();
  });
}
