/**
 * What a waiting customer is told when their queue notice is due (handoff-monitor.ts): only something new. A new place
 * in the queue, else the typical wait once (or when it changed); else nothing, so no text is ever repeated.
 */
import type { NewOutbound } from '../store/types.ts';
import { notice } from './notices.ts';

export interface QueueFacts {
  locale: string | undefined;
  /** The place in the queue now. */
  position: number;
  /** The queue's typical wait (minutes) lately; null when not known. */
  typicalWaitMinutes: number | null;
  /** What the customer was told since the handoff began, oldest first. */
  told: readonly string[];
}

export function nextQueueNotice({ locale, position, typicalWaitMinutes, told }: QueueFacts): NewOutbound | undefined {
  const text = (message: NewOutbound) => message.text ?? '';
  const said = new Set(told);
  const wait = typicalWaitMinutes === null ? undefined : notice('typicalWait', locale, { n: position, minutes: typicalWaitMinutes });
  // The place last told: the newest notice is one of the queue notices for this place.
  const placeTexts = [notice('queued', locale, { n: position }), notice('stillWaiting', locale, { n: position }), ...(wait ? [wait] : [])].map(text);
  const placeKnown = told.length > 0 && placeTexts.includes(told.at(-1)!);
  const moved = notice('stillWaiting', locale, { n: position });
  if (!placeKnown && !said.has(text(moved))) return moved;
  if (wait && !said.has(text(wait))) return wait;
  return undefined;
}
