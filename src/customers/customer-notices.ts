/** What Parley tells a customer about their channels and consent, in the languages the demo speaks. */
import { localize, localizeNotice } from '../engine/localize.ts';
import type { Button } from '../core/message.ts';
import type { NewOutbound } from '../store/types.ts';
import type { Purpose } from './consent-ledger.ts';

const TEXTS = {
  stopped: {
    en: "Done: you won't get messages from us on {channel} any more; we only answer when you write to us. Send START to hear from us again.",
    de: 'Erledigt: Sie bekommen von uns über {channel} keine Nachrichten mehr; wir antworten nur, wenn Sie uns schreiben. Mit START hören Sie wieder von uns.',
  },
  started: {
    en: "Welcome back: you'll get {purposes} on {channel} again. Send STOP at any time to unsubscribe.",
    de: 'Willkommen zurück: Sie erhalten über {channel} wieder {purposes}. Mit STOPP melden Sie sich jederzeit ab.',
  },
  preferenceSet: {
    en: "Got it: when we contact you, we'll message you on {channel}. Answers to what you write still come where you write.",
    de: 'Alles klar: Wenn wir uns bei Ihnen melden, schreiben wir Ihnen über {channel}. Antworten auf Ihre Nachrichten kommen weiter dort an, wo Sie schreiben.',
  },
  preferenceUnknown: {
    en: "I can't reach you on {channel} yet: link it first. Write \"link my {channel}\" and your number, e.g. \"link my WhatsApp +49 151 23456789\".",
    de: 'Über {channel} kann ich Sie noch nicht erreichen: Verknüpfen Sie es zuerst. Schreiben Sie „{channel} verknüpfen“ und Ihre Nummer, z. B. „WhatsApp verknüpfen +49 151 23456789“.',
  },
  linkCodeSent: {
    en: "I've sent a code to your {channel}. Type its 6 digits here to link it (valid for 10 minutes).",
    de: 'Ich habe Ihnen einen Code über {channel} geschickt. Geben Sie die 6 Ziffern hier ein, um es zu verknüpfen (10 Minuten gültig).',
  },
  linkCodeMessage: {
    en: 'Your code to link this chat with {origin}: {code}. It is valid for 10 minutes. If you did not ask for it, ignore this message.',
    de: 'Ihr Code, um diesen Chat mit {origin} zu verknüpfen: {code}. Er ist 10 Minuten gültig. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht.',
  },
  linkCodeNumber: {
    en: 'To link {channel} {number} with this chat, send us this code from that number on {channel}: {code} (valid for 10 minutes). If we already chat with you there, you may get a code from us there too: type that one here instead.',
    de: 'Um {channel} {number} mit diesem Chat zu verknüpfen, schicken Sie uns von dieser Nummer über {channel} diesen Code: {code} (10 Minuten gültig). Wenn wir dort schon mit Ihnen schreiben, bekommen Sie von uns vielleicht auch dort einen Code: Geben Sie dann diesen hier ein.',
  },
  linkNeedsNumber: {
    en: 'Which number? Write "link my {channel}" with your number, e.g. "link my {channel} +49 151 23456789".',
    de: 'Welche Nummer? Schreiben Sie „{channel} verknüpfen“ mit Ihrer Nummer, z. B. „{channel} verknüpfen +49 151 23456789“.',
  },
  linkCodeShow: {
    en: 'To link {channel} with this chat, send us this code there: {code} (valid for 10 minutes).',
    de: 'Um {channel} mit diesem Chat zu verknüpfen, schicken Sie uns dort diesen Code: {code} (10 Minuten gültig).',
  },
  linked: {
    en: 'Done: {channel} and {origin} are now linked. Where should we message you when we contact you?',
    de: 'Erledigt: {channel} und {origin} sind jetzt verknüpft. Wo sollen wir Ihnen schreiben, wenn wir uns melden?',
  },
  linkWrongCode: {
    en: "That code isn't right. Please check it and try again.",
    de: 'Der Code stimmt nicht. Bitte prüfen Sie ihn und versuchen Sie es noch einmal.',
  },
  linkCodeGone: {
    en: 'That code is no longer valid. Ask me to link the channel again for a new one.',
    de: 'Dieser Code ist nicht mehr gültig. Bitten Sie mich einfach noch einmal um die Verknüpfung.',
  },
  linkSameChannel: {
    en: "You're writing to us on {channel} right now: nothing to link.",
    de: 'Sie schreiben uns gerade über {channel}: Da gibt es nichts zu verknüpfen.',
  },
  channelUnavailable: {
    en: "Sorry, we can't message you on {channel}.",
    de: 'Über {channel} können wir Ihnen leider nicht schreiben.',
  },
  linkTooMany: {
    en: 'You asked for a code just now. Please wait a while, then ask again.',
    de: 'Sie haben gerade schon einen Code angefordert. Bitte warten Sie etwas und fragen Sie dann noch einmal.',
  },
  linkAlready: { en: '{channel} is already linked with this chat.', de: '{channel} ist bereits mit diesem Chat verknüpft.' },
  linkBadNumber: {
    en: "That doesn't look like a phone number. Please write it with the country code, e.g. +49 151 23456789.",
    de: 'Das sieht nicht nach einer Telefonnummer aus. Bitte mit Ländervorwahl, z. B. +49 151 23456789.',
  },
  here: { en: 'Here', de: 'Hier' },
  account: { en: 'your customer account', de: 'Ihrem Kundenkonto' },
  on: { en: 'On {channel}', de: 'Über {channel}' },
} as const satisfies Record<string, { en: string; de: string }>;

const PURPOSE_WORDS: Record<Purpose, { en: string; de: string }> = {
  service: { en: 'messages from our team', de: 'Nachrichten unseres Teams' },
  notifications: { en: 'notifications', de: 'Benachrichtigungen' },
  marketing: { en: 'offers', de: 'Angebote' },
};

export type CustomerNoticeKey = keyof typeof TEXTS;

export function customerText(key: CustomerNoticeKey, locale: string | undefined, values: Record<string, string | number> = {}): string {
  return localizeNotice(TEXTS[key], locale, values);
}

export function customerNotice(key: CustomerNoticeKey, locale: string | undefined, values: Record<string, string | number> = {}, buttons?: Button[]): NewOutbound {
  return { text: customerText(key, locale, values), ...(buttons ? { buttons } : {}) };
}

/** "notifications and offers", in the customer's language. */
export function purposeWords(purposes: readonly Purpose[], locale: string | undefined): string {
  const words = purposes.map((p) => localize(PURPOSE_WORDS[p], locale));
  const and = locale?.startsWith('de') ? ' und ' : ' and ';
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')}${and}${words.at(-1)}`;
}
