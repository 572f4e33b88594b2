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
