/** What Parley tells the customer about their handoff, in the languages the demo speaks. */
import { localizeNotice } from '../engine/localize.ts';
import { BUILT_IN_TEXTS } from '../engine/messages.ts';
import type { Button } from '../core/message.ts';
import type { NewOutbound } from '../store/types.ts';

const TEXTS = {
  handingOff: BUILT_IN_TEXTS.handingOff,
  frustrated: {
    en: "I'm sorry this has been frustrating. I'm passing you to a colleague right away, together with this conversation.",
    de: 'Das tut mir leid. Ich gebe Sie sofort an eine Kollegin oder einen Kollegen weiter, zusammen mit diesem Gespräch.',
  },
  kbDeclined: {
    en: "I couldn't find a good answer to that. I'm passing you to a colleague, together with this conversation.",
    de: 'Dazu finde ich leider keine gute Antwort. Ich gebe Sie an eine Kollegin oder einen Kollegen weiter, zusammen mit diesem Gespräch.',
  },
  queued: {
    en: 'A person from our team will be with you shortly. You are number {n} in the queue.',
    de: 'Gleich ist jemand aus unserem Team für Sie da. Sie sind Nummer {n} in der Warteschlange.',
  },
  stillWaiting: {
    en: 'Thanks for your patience: a person will be with you as soon as possible. You are now number {n} in the queue.',
    de: 'Danke für Ihre Geduld: Es ist so bald wie möglich jemand für Sie da. Sie sind jetzt Nummer {n} in der Warteschlange.',
  },
  /** A later queue notice when the place is the same but the typical wait is known: something new to say. */
  typicalWait: {
    en: 'Thanks for waiting: a person usually answers here within about {minutes} min. You are still number {n} in the queue.',
    de: 'Danke fürs Warten: Meist antwortet hier innerhalb von etwa {minutes} Min. jemand. Sie sind weiterhin Nummer {n} in der Warteschlange.',
  },
  offerMessage: {
    en: "Sorry, everyone is busy right now. You can leave your message here, and tell us if you'd rather be answered by email or phone: we'll get back to you as soon as we can, and you can close this chat meanwhile.",
    de: 'Leider sind gerade alle beschäftigt. Sie können Ihre Nachricht hier hinterlassen und uns sagen, ob wir Ihnen lieber per E-Mail oder Telefon antworten sollen: Wir melden uns so bald wie möglich, und Sie können den Chat so lange schließen.',
  },
  /** Outside the queue's opening hours (OPENING_HOURS), instead of the place in the queue: said once. */
  closed: {
    en: "Our team is away right now and will be back {when}. You can leave your message here, and tell us if you'd rather be answered by email or phone: a person will reply when they are back, and you can close this chat meanwhile.",
    de: 'Unser Team ist gerade nicht da und {when} wieder für Sie da. Sie können Ihre Nachricht hier hinterlassen und uns sagen, ob wir Ihnen lieber per E-Mail oder Telefon antworten sollen: Wir melden uns, sobald wir zurück sind, und Sie können den Chat so lange schließen.',
  },
  /** A transfer to another queue: once, when it happens; the queue notices then start over for the new wait. */
  transferred: {
    en: "I'm passing you to a colleague who can help with this. They can read our conversation so far, so you won't need to repeat anything.",
    de: 'Ich gebe Sie an eine Kollegin oder einen Kollegen weiter, die Ihnen dabei helfen kann. Sie sieht unser bisheriges Gespräch, Sie müssen also nichts wiederholen.',
  },
  agentJoined: { en: '{name} from our team is here to help you now.', de: '{name} aus unserem Team ist jetzt für Sie da.' },
  /** The closing notice of a resolve: first, before the rating question (or the bot, when it was asked before). */
  resolved: { en: 'Your conversation with {name} is finished.', de: 'Ihr Gespräch mit {name} ist beendet.' },
  /** After the closing notice, with the rating buttons; the bot's return point follows the answer. */
  rateHelp: {
    en: 'How would you rate the help you got, from 1 (poor) to 5 (excellent)?',
    de: 'Wie bewerten Sie die Hilfe, von 1 (schlecht) bis 5 (ausgezeichnet)?',
  },
} as const satisfies Record<string, { en: string; de: string }>;

export type NoticeKey = keyof typeof TEXTS;

/** Payload of the rating buttons: `#rate:1` … `#rate:5` (the `#` keeps them apart from every flow's payload). */
export const RATE_PAYLOAD = '#rate:';

export function notice(key: NoticeKey, locale: string | undefined, values: Record<string, string | number> = {}): NewOutbound {
  return { text: localizeNotice(TEXTS[key], locale, values) };
}

export function ratingButtons(): Button[] {
  return [1, 2, 3, 4, 5].map((n) => ({ title: `${n} ${'★'.repeat(n)}`, payload: `${RATE_PAYLOAD}${n}` }));
}

/** The rating a customer's answer gives: a rating button, or a typed "4", "4 stars", "4/5", "4 Sterne"; else undefined. */
export function parseRating(input: { text?: string; payload?: string }): number | undefined {
  if (input.payload?.startsWith(RATE_PAYLOAD)) {
    const n = Number(input.payload.slice(RATE_PAYLOAD.length));
    return Number.isInteger(n) && n >= 1 && n <= 5 ? n : undefined;
  }
  const match = /^\s*([1-5])\s*(?:\/\s*5|stars?|sterne?|★+)?\s*[.!]*\s*$/iu.exec(input.text ?? '');
  return match ? Number(match[1]) : undefined;
}
