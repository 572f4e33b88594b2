/** Words and numbers as the workspace shows them: channel and language names, waiting times, flow variables. */

const CHANNEL_NAMES: Record<string, string> = {
  web: 'Web chat', whatsapp: 'WhatsApp', 'whatsapp-web': 'WhatsApp', slack: 'Slack', botframework: 'Teams', email: 'Email', sms: 'SMS',
};

export const channelName = (id: string | null | undefined): string => (id ? CHANNEL_NAMES[id] ?? capitalize(id) : '');

const languages = new Intl.DisplayNames(['en'], { type: 'language' });

/** `de-DE` → "German"; an unknown code is shown as it is, none as an empty string. */
export function languageName(code: string | null | undefined): string {
  if (!code) return '';
  try {
    return languages.of(code.split(/[-_]/)[0]!) ?? code;
  } catch {
    return code;
  }
}

/** The primary language of a locale: `de-AT` → `de`. */
export const baseLanguage = (code: string | null | undefined): string | null => (code ? code.split(/[-_]/)[0]!.toLowerCase() : null);

/** How long ago, short: "45 s", "12 min", "3 h 5 min", "2 d". */
export function since(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d`;
}

/** A message's time: "14:05" today, "Sat 14:05" this week, else the date. */
export function clock(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const days = (now.getTime() - at.getTime()) / 86_400_000;
  if (at.toDateString() === now.toDateString()) return time;
  if (days < 6) return `${at.toLocaleDateString([], { weekday: 'short' })} ${time}`;
  return at.toLocaleDateString([], { day: 'numeric', month: 'short', year: at.getFullYear() === now.getFullYear() ? undefined : 'numeric' });
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A flow variable's name in words: `order_number` → "Order number", `deliveryDate` → "Delivery date". */
export function variableLabel(name: string): string {
  const words = name.replace(/^_+/, '').replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ').trim().toLowerCase();
  return capitalize(words || name);
}

/** A variable's value in words: yes/no for booleans, nothing for null. */
export function variableValue(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

/** Initials for an avatar: "Ana Lima" → "AL". */
export function initials(name: string | null | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  return (parts[0]!.charAt(0) + (parts.length > 1 ? parts.at(-1)!.charAt(0) : '')).toUpperCase();
}

/**
 * A customer with no name, by their channel and the first letters of their conversation's id, so two of them in the
 * list are told apart: "Web chat visitor 6BA2".
 */
export const customerName = (name: string | null | undefined, channel: string, id?: string): string =>
  name?.trim() || `${channelName(channel)} visitor${id ? ` ${id.replace(/[^0-9a-z]/gi, '').slice(0, 4).toUpperCase()}` : ''}`;
