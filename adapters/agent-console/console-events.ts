import type { Redis } from 'ioredis';
import type { TranscriptLine } from '../../src/handoff/context.ts';
import type { AgentDesk } from '../../src/handoff/desk.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import { handoffView, type HandoffView } from './handoff-view.ts';

/** What the console's sockets receive. */
export type ConsoleEvent =
  | { type: 'handoff'; handoff: HandoffView }
  | { type: 'line'; handoffId: string; queue: string; line: TranscriptLine };

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
      let event: ConsoleEvent;
      try {
        event = JSON.parse(raw) as ConsoleEvent;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(event);
    });
  }

  async announce(handoff: Handoff): Promise<void> {
    await this.publish({ type: 'handoff', handoff: handoffView(handoff) });
  }

  async changed(handoff: Handoff): Promise<void> {
    await this.publish({ type: 'handoff', handoff: handoffView(handoff) });
  }

  async line(handoff: Handoff, line: TranscriptLine): Promise<void> {
    await this.publish({ type: 'line', handoffId: handoff.id, queue: handoff.queue, line });
  }

  /** Returns the function that stops listening. */
  async listen(listener: Listener): Promise<() => void> {
    this.subscribed ??= this.subscriber.subscribe(this.channel);
    await this.subscribed;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async publish(event: ConsoleEvent): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(event));
  }
}
