import type { BuiltInIntent } from '../core/understanding.ts';

/**
 * The words that withdraw or restore consent, as carriers and WhatsApp expect them: the whole message, any case,
 * trailing punctuation ignored. A German-only word also tells the language to confirm in.
 */
export type ConsentCommand = {
  kind: 'stop' | 'start';
  locale?: 'en' | 'de';
  /** A word that only restores what a STOP took (`start`, `resume`): said without a STOP before, it means something else. */
  restoreOnly?: boolean;
};

const STOP_EN = ['stop', 'stop all', 'stopall', 'unsubscribe', 'stop messages', 'stop messaging me', 'stop sending messages', 'opt out', 'opt-out', 'optout', 'no more messages'];
const STOP_DE = ['stopp', 'abmelden', 'abbestellen', 'austragen', 'keine nachrichten', 'keine nachrichten mehr', 'keine werbung', 'nachrichten stoppen', 'bitte abmelden'];
const START_EN = ['subscribe', 'opt in', 'opt-in', 'optin'];
const START_DE = ['anmelden', 'wieder anmelden', 'abonnieren'];
const RESTORE_EN = ['start', 'unstop', 'resume'];
const RESTORE_DE = ['starten', 'fortsetzen'];

/** Payloads of the consent buttons (the `#` keeps them apart from every flow's payload). */
export const STOP_PAYLOAD = '#consent:stop';
export const START_PAYLOAD = '#consent:start';

export function parseConsentCommand(input: { text?: string; payload?: string }): ConsentCommand | undefined {
  if (input.payload === STOP_PAYLOAD) return { kind: 'stop' };
  if (input.payload === START_PAYLOAD) return { kind: 'start' };
  if (input.payload !== undefined) return undefined;
  const text = (input.text ?? '').toLowerCase().normalize('NFC').replace(/[\s]+/g, ' ').replace(/^[\s"'„“]+|[\s.!?"'“”]+$/g, '');
  if (text === '' || text.length > 40) return undefined;
  if (STOP_DE.includes(text)) return { kind: 'stop', locale: 'de' };
  if (STOP_EN.includes(text)) return { kind: 'stop' };
  if (START_DE.includes(text)) return { kind: 'start', locale: 'de' };
  if (START_EN.includes(text)) return { kind: 'start' };
  if (RESTORE_DE.includes(text)) return { kind: 'start', locale: 'de', restoreOnly: true };
  if (RESTORE_EN.includes(text)) return { kind: 'start', restoreOnly: true };
  return undefined;
}

/** Withdrawing consent in other words than the carriers' keywords ("please stop messaging me"), ranked with the flows. */
export const CONSENT_STOP_INTENT: BuiltInIntent = {
  name: 'consent-stop',
  examples: {
    en: [
      'please stop sending me messages', 'stop messaging me', 'I do not want any more messages from you', 'no more messages please',
      'unsubscribe me from your messages', 'take me off your list', 'stop texting me', 'remove me from your mailing list',
      'opt me out of all messages', 'do not message me again', 'I do not want to receive your messages anymore', 'stop contacting me',
    ],
    de: [
      'bitte keine Nachrichten mehr schicken', 'hört auf mir zu schreiben', 'ich möchte keine Nachrichten mehr bekommen',
      'bitte melden Sie mich ab', 'schreiben Sie mir nicht mehr', 'nehmt mich aus dem Verteiler', 'keine Nachrichten mehr von euch bitte',
      'ich will nicht mehr angeschrieben werden', 'bitte hören Sie auf mir Nachrichten zu senden', 'kontaktieren Sie mich nicht mehr',
    ],
  },
  recognize: (text) => parseConsentCommand({ text })?.kind === 'stop',
};

/** Asking to be messaged again ("you can message me again"); START and its German forms are recognised exactly. */
export const CONSENT_START_INTENT: BuiltInIntent = {
  name: 'consent-start',
  examples: {
    en: ['I want to get your messages again', 'please start sending me messages again', 'subscribe me again', 'you can message me again', 'turn my notifications back on'],
    de: ['ich möchte wieder Nachrichten bekommen', 'bitte wieder anmelden', 'ihr dürft mir wieder schreiben', 'Benachrichtigungen wieder einschalten', 'schickt mir wieder Nachrichten'],
  },
  recognize: (text) => parseConsentCommand({ text })?.kind === 'start',
};
