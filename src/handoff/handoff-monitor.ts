import type { Logger } from '../infra/logger.ts';
import type { Handoff } from './handoff-rows.ts';
import type { HandoffService } from './handoff-service.ts';
import { notice } from './notices.ts';
import { nextQueueNotice } from './queue-notice.ts';

/** The waits between queue notices double up to this many times HANDOFF_NOTICE_EVERY_MS (16 minutes from 2). */
const MAX_NOTICE_WAIT_FACTOR = 8;

export interface HandoffMonitorOptions {
  service: HandoffService;
  logger: Logger;
  /** When a waiting customer may first hear about their place again; the waits double after it, up to 8 times this. */
  noticeEveryMs: number;
  /** How long a handoff may wait unclaimed before the customer is offered to leave a message. */
  offerAfterMs: number;
  /** How often the monitor looks. Default 2 s. */
  intervalMs?: number;
}

/**
 * What must happen while handoffs wait, whichever process notices first (each row is taken by one process):
 * enqueue handoffs that could not be enqueued (Redis was down), tell waiting customers what changed while they wait
 * (less and less often), offer to
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
    for (const handoff of await handoffs.takeDueNotices(noticeEveryMs, noticeEveryMs * MAX_NOTICE_WAIT_FACTOR)) {
      const message = (await closedNotice(handoff)) ?? nextQueueNotice({
        locale: handoff.context.customer.locale ?? undefined,
        position: await handoffs.position(handoff),
        typicalWaitMinutes: (await service.hours.availability(handoff.queue)).typicalWaitMinutes,
        told: await handoffs.toldSince(handoff),
      });
      if (message) await service.tell(await service.conversation(handoff), [message], handoff);
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
