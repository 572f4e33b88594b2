import type { OpeningHours } from '../hours/opening-hours.ts';
import { whenBack } from '../hours/when-back.ts';
import type { NewOutbound } from '../store/types.ts';
import type { HandoffStore } from './handoff-store.ts';
import { notice } from './notices.ts';

export interface QueueHoursOptions {
  /** OPENING_HOURS; absent: people are always there. */
  hours?: OpeningHours;
  handoffs: HandoffStore;
  defaultQueue: string;
  now: () => Date;
}

/** What the web chat's status line is told about a queue. */
export interface QueueAvailability {
  open: boolean;
  /** When people are back (ISO), while closed; null while open or when they do not come back within three weeks. */
  backAt: string | null;
  /** The median wait for a person over the last 7 days (minutes), while open; null with fewer than 3 handoffs. */
  typicalWaitMinutes: number | null;
}

/** The handoff queues and their opening hours: what a customer is told outside them, and the status line's facts. */
export class QueueHours {
  private readonly waits = new Map<string, { at: number; minutes: number | null }>();

  constructor(private readonly options: QueueHoursOptions) {}

  /** The notice for a customer of this queue outside its opening hours; undefined while it is open. */
  closedNotice(queue: string, locale: string | undefined): NewOutbound | undefined {
    const { hours } = this.options;
    const now = this.options.now();
    if (!hours || hours.isOpen(queue, now)) return undefined;
    const opening = hours.nextOpening(queue, now);
    const when = opening ? whenBack(opening, now, locale, hours.timeZoneOf(queue)!) : locale?.toLowerCase().startsWith('de') ? 'bald' : 'soon';
    return notice('closed', locale, { when });
  }

  /** Whether people are there for the queue now, when they are back if not, and the typical wait (kept for a minute). */
  async availability(queue = this.options.defaultQueue): Promise<QueueAvailability> {
    const now = this.options.now();
    const { hours } = this.options;
    if (hours && !hours.isOpen(queue, now)) return { open: false, backAt: hours.nextOpening(queue, now)?.toISOString() ?? null, typicalWaitMinutes: null };
    const cached = this.waits.get(queue);
    if (!cached || now.getTime() - cached.at > 60_000) {
      this.waits.set(queue, { at: now.getTime(), minutes: await this.options.handoffs.typicalWaitMinutes(queue, new Date(now.getTime() - 7 * 86_400_000)) });
    }
    return { open: true, backAt: null, typicalWaitMinutes: this.waits.get(queue)!.minutes };
  }
}
