import type { Logger } from '../infra/logger.ts';
import type { Handoff } from './handoff-rows.ts';
import type { HandoffService } from './handoff-service.ts';
import { notice } from './notices.ts';

export interface HandoffMonitorOptions {
  service: HandoffService;
  logger: Logger;
  /** How often a waiting customer hears their place in the queue again. */
  noticeEveryMs: number;
  /** How long a handoff may wait unclaimed before the customer is offered to leave a message. */
  offerAfterMs: number;
  /** How often the monitor looks. Default 2 s. */
  intervalMs?: number;
}

/**
 * What must happen while handoffs wait, whichever process notices first (each row is taken by one process):
 * enqueue handoffs that could not be enqueued (Redis was down), tell waiting customers their place again, offer to
 * leave a message when nobody claims, and open a handoff for a conversation left with a person without one.
 */
export class HandoffMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly options: HandoffMonitorOptions) {}

  async tick(): Promise<void> {
    const { service, noticeEveryMs, offerAfterMs } = this.options;
    const { handoffs } = service;
    for (const handoff of await handoffs.unannounced(new Date(Date.now() - 2_000))) await service.enqueue(handoff);
    // A queue that closed while customers waited tells them once when a person is back, and then nothing more.
    const closedNotice = async (handoff: Handoff) => {
      const closed = service.hours.closedNotice(handoff.queue, handoff.context.customer.locale ?? undefined);
      if (closed) await handoffs.markOffered(handoff.id);
      return closed;
    };
    for (const handoff of await handoffs.takeDueOffers(offerAfterMs)) {
      const message = (await closedNotice(handoff)) ?? notice('offerMessage', handoff.context.customer.locale ?? undefined);
      await service.tell(await service.conversation(handoff), [message], handoff);
    }
    for (const handoff of await handoffs.takeDueNotices(noticeEveryMs)) {
      const closed = await closedNotice(handoff);
      const message = closed ?? notice('stillWaiting', handoff.context.customer.locale ?? undefined, { n: await handoffs.position(handoff) });
      await service.tell(await service.conversation(handoff), [message], handoff);
    }
    for (const conversationId of await handoffs.orphans(new Date(Date.now() - 30_000))) {
      const conversation = await service.store.getConversation(conversationId);
      if (conversation) {
        await service.begin(conversation, 'the conversation was with a person, but its handoff was not recorded', { trigger: 'recovered', before: conversation.state, tell: true });
      }
    }
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.tick()
        .catch((error: unknown) => this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'handoff monitor failed'))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs ?? 2_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
