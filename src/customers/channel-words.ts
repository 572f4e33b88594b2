/** Channels as customers name them, and as Parley names them back. */

/** The channel ids a word may mean, most likely first (WhatsApp may be the Cloud API or whatsapp-web.js). */
const WORDS: [RegExp, string[]][] = [
  [/^(whats ?app|wa)$/i, ['whatsapp', 'whatsapp-web']],
  [/^(the )?(web ?chat|website|web ?site|chat on the website|homepage|webseite|internetseite|web)$/i, ['web']],
  [/^(ms |microsoft )?teams$/i, ['botframework']],
  [/^slack$/i, ['slack']],
];

/** The channel-name alternatives as a regular expression source (for the phrase parsers). */
export const CHANNEL_WORD = String.raw`(whats ?app|web ?chat|website|webseite|internetseite|homepage|(?:ms |microsoft )?teams|slack)`;

export function channelsNamed(word: string): string[] {
  const cleaned = word.trim().toLowerCase();
  return WORDS.find(([pattern]) => pattern.test(cleaned))?.[1] ?? [];
}

const LABELS: Record<string, { en: string; de: string }> = {
  web: { en: 'the web chat', de: 'Web-Chat' },
  whatsapp: { en: 'WhatsApp', de: 'WhatsApp' },
  'whatsapp-web': { en: 'WhatsApp', de: 'WhatsApp' },
  botframework: { en: 'Teams', de: 'Teams' },
  slack: { en: 'Slack', de: 'Slack' },
};

/** A channel as a customer reads it, in their language. */
export function channelLabel(channel: string, locale: string | undefined): string {
  const label = LABELS[channel];
  if (!label) return channel;
  return locale?.startsWith('de') ? label.de : label.en;
}
