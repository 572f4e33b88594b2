/**
 * What a customer's own words ask of their channels, in the demo's languages (English, German): to be messaged on
 * another channel, to link another channel, or a one-time link code. Narrow on purpose: a phrase must name a channel
 * and ask for it ("message me on WhatsApp instead"); asking about a channel ("do you have WhatsApp?") is no request.
 */
import type { BuiltInIntent } from '../core/understanding.ts';
import { CHANNEL_WORD, channelsNamed } from './channel-words.ts';
import { normalizeLongCode } from './link-codes.ts';

/** Payload of the preference buttons: `#prefer:<channel>` (`#prefer:last` goes back to the last one used). */
export const PREFER_PAYLOAD = '#prefer:';
/** Payload of the "link another channel" buttons: `#link:<channel>`. */
export const LINK_PAYLOAD = '#link:';

const MAX_LENGTH = 160;
const clean = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

const PREFER_PATTERNS: [RegExp, 'en' | 'de'][] = [
  [new RegExp(String.raw`\b(message|text|write( to)?|contact|reach|notify|answer|ping|get back to)\s+(me|us)\b.{0,30}?\b(on|via|through|by|over|in|with)\s+(the\s+)?${CHANNEL_WORD}`, 'i'), 'en'],
  [new RegExp(String.raw`\b(i'?d|i would|we'?d)\s+(rather|prefer)\b.{0,25}?\b${CHANNEL_WORD}`, 'i'), 'en'],
  [new RegExp(String.raw`\b(i|we)\s+prefer\s+(the\s+)?${CHANNEL_WORD}`, 'i'), 'en'],
  [new RegExp(String.raw`\b(use|switch to|move to|continue on|continue in)\s+(the\s+)?${CHANNEL_WORD}\b.{0,15}\b(instead|please|from now on)`, 'i'), 'en'],
  [new RegExp(String.raw`^(on\s+|via\s+)?${CHANNEL_WORD}\s+(instead|please)\b`, 'i'), 'en'],
  [new RegExp(String.raw`\b(schreib\w*|kontaktier\w*|meld\w*|antwort\w*|benachrichtig\w*|erreich\w*)\b.{0,20}?\b(mir|mich|uns)\b.{0,20}?\b(auf|über|per|via|bei|in)\s+(dem\s+)?${CHANNEL_WORD}`, 'i'), 'de'],
  [new RegExp(String.raw`\blieber\s+(auf|über|per|via|bei|in)\s+(dem\s+)?${CHANNEL_WORD}`, 'i'), 'de'],
  [new RegExp(String.raw`\b(ich|wir)\s+bevorzuge\w*\s+${CHANNEL_WORD}`, 'i'), 'de'],
  [new RegExp(String.raw`\b${CHANNEL_WORD}\s+(statt(dessen)?|lieber|bitte)\b`, 'i'), 'de'],
  // An answer asked for on a channel, with a word that makes it a request ("bitte per WhatsApp antworten statt hier").
  [new RegExp(String.raw`\b(please\s+)(reply|answer|respond|write)\s+(on|via|over|through|by|in)\s+(the\s+)?${CHANNEL_WORD}`, 'i'), 'en'],
  [new RegExp(String.raw`\b(reply|answer|respond|write)\s+(on|via|over|through|by|in)\s+(the\s+)?${CHANNEL_WORD}\b.{0,15}\b(instead|please|from now on)`, 'i'), 'en'],
  [new RegExp(String.raw`\b(bitte|lieber)\b.{0,10}?\b(auf|über|per|via)\s+${CHANNEL_WORD}\s+(antwort|schreib|meld|kontaktier)\w*`, 'i'), 'de'],
  [new RegExp(String.raw`\b(auf|über|per|via)\s+${CHANNEL_WORD}\s+(antwort|schreib|meld|kontaktier)\w*\b.{0,15}?\b(statt|lieber|bitte)`, 'i'), 'de'],
];

/** The channel ids named by a "message me on … instead" request, most likely first; undefined when it is none. */
export function parsePreference(input: { text?: string; payload?: string }): { channels: string[]; word: string; locale?: 'en' | 'de' } | undefined {
  if (input.payload?.startsWith(PREFER_PAYLOAD)) {
    const channel = input.payload.slice(PREFER_PAYLOAD.length);
    return channel ? { channels: [channel], word: channel } : undefined;
  }
  if (input.payload !== undefined || !input.text || input.text.length > MAX_LENGTH) return undefined;
  const text = clean(input.text);
  if (parseLinkRequest(input)) return undefined;
  for (const [pattern, locale] of PREFER_PATTERNS) {
    const match = pattern.exec(text);
    const word = match?.slice(1).reverse().find((group) => group !== undefined && channelsNamed(group).length > 0);
    if (word) return { channels: channelsNamed(word), word, locale };
  }
  return undefined;
}

const LINK_PATTERNS: [RegExp, 'en' | 'de'][] = [
  [new RegExp(String.raw`\b(link|connect|add|verify|merge)\b.{0,20}?\b${CHANNEL_WORD}`, 'i'), 'en'],
  [new RegExp(String.raw`(verknüpf\w*|verbind\w*|hinzufüg\w*|koppel\w*)\b.{0,20}?\b${CHANNEL_WORD}`, 'i'), 'de'],
  [new RegExp(String.raw`\b${CHANNEL_WORD}\b.{0,20}?(verknüpfen|verbinden|hinzufügen|koppeln)`, 'i'), 'de'],
];
const PHONE = /(?:\+|00)?\d[\d ().\-/]{5,20}\d/;

/** "link my WhatsApp +49 151 2345678" → the channels meant and the number given (as written), if any. */
export function parseLinkRequest(input: { text?: string; payload?: string }): { channels: string[]; number?: string; locale?: 'en' | 'de' } | undefined {
  if (input.payload?.startsWith(LINK_PAYLOAD)) {
    const channel = input.payload.slice(LINK_PAYLOAD.length);
    return channel ? { channels: [channel] } : undefined;
  }
  if (input.payload !== undefined || !input.text || input.text.length > MAX_LENGTH) return undefined;
  const text = clean(input.text);
  for (const [pattern, locale] of LINK_PATTERNS) {
    const match = pattern.exec(text);
    const word = match?.slice(1).find((group) => group !== undefined && channelsNamed(group).length > 0);
    if (!word) continue;
    const number = PHONE.exec(text)?.[0];
    return { channels: channelsNamed(word), locale, ...(number ? { number } : {}) };
  }
  return undefined;
}

/**
 * A one-time link code as typed: six digits, perhaps as `482 913` or `482-913`; or a long code (`K7PQ2-MXW9R`, any
 * case), returned without its dash.
 */
export function parseLinkCode(input: { text?: string; payload?: string }): string | undefined {
  if (input.payload !== undefined || !input.text) return undefined;
  const match = /^\s*(\d{3})[ -]?(\d{3})\s*[.!]?\s*$/.exec(input.text);
  if (match) return `${match[1]}${match[2]}`;
  return input.text.length <= 24 ? normalizeLongCode(input.text.trim().replace(/[.!]$/, '')) : undefined;
}

/** Linking another channel: recognised by its own words only, since the request must name the channel (and number). */
export const LINK_INTENT: BuiltInIntent = { name: 'link', recognize: (text) => parseLinkRequest({ text }) !== undefined };

/** Being messaged on another channel: recognised by its own words only, since the request must name the channel. */
export const PREFER_CHANNEL_INTENT: BuiltInIntent = { name: 'prefer-channel', recognize: (text) => parsePreference({ text }) !== undefined };
