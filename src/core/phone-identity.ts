/**
 * Phone numbers as one identity across channels: `+49 151 2345678`, `0049 151 2345678`, the WhatsApp Cloud API's
 * wa_id `491512345678` and whatsapp-web.js's `491512345678@c.us` are all `+491512345678` (E.164). whatsapp-web.js's
 * `…@lid` ids hide the number, so they stay identities of their own until the customer or an agent links them.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Channels whose user id is a phone number, and how that number is written in it. */
const PHONE_CHANNELS: Record<string, { fromUserId: (userId: string) => string | undefined; toUserId: (e164: string) => string }> = {
  // The Cloud API's wa_id: the number in E.164 without its `+`.
  whatsapp: { fromUserId: (id) => (/^\d{6,15}$/.test(id) ? id : undefined), toUserId: (e164) => e164.slice(1) },
  // whatsapp-web.js: `<digits>@c.us` is a phone number; `<digits>@lid` is not (a linked-device id).
  'whatsapp-web': { fromUserId: (id) => /^(\d{6,15})@c\.us$/.exec(id)?.[1], toUserId: (e164) => `${e164.slice(1)}@c.us` },
};

/** Whether a channel's user ids are phone numbers. */
export function isPhoneChannel(channel: string): boolean {
  return channel in PHONE_CHANNELS;
}

/**
 * A phone number as written by a person or a system, in E.164 (`+491512345678`), or undefined when it is none.
 * International forms (`+49…`, `0049…`) always work; a national form (`0151…`) only with `defaultCountry`.
 * Bare digits are read as international without the `+`, as WhatsApp writes them.
 */
export function normalizePhone(input: string, defaultCountry?: CountryCode): string | undefined {
  const compact = input.trim().replace(/[\s().\-/]/g, '');
  if (!/^\+?\d{4,20}$/.test(compact)) return undefined;
  let candidate = compact;
  if (compact.startsWith('00')) candidate = `+${compact.slice(2)}`;
  else if (compact.startsWith('0')) candidate = compact;
  else if (!compact.startsWith('+')) candidate = `+${compact}`;
  const parsed = candidate.startsWith('+') ? parsePhoneNumberFromString(candidate) : defaultCountry ? parsePhoneNumberFromString(candidate, defaultCountry) : undefined;
  if (parsed?.isPossible()) return parsed.number;
  // Numbers libphonenumber has no metadata for (new ranges, test numbers) still compare by their digits.
  return candidate.startsWith('+') && /^\+[1-9]\d{6,14}$/.test(candidate) ? candidate : undefined;
}

/** The E.164 number behind a channel's user id, or undefined when the channel's ids are not phone numbers. */
export function phoneOfIdentity(channel: string, userId: string): string | undefined {
  const digits = PHONE_CHANNELS[channel]?.fromUserId(userId);
  return digits === undefined ? undefined : normalizePhone(digits);
}

/** The channel's user id for an E.164 number (`whatsapp` → `491512345678`), or undefined for other channels. */
export function userIdForPhone(channel: string, e164: string): string | undefined {
  return PHONE_CHANNELS[channel]?.toUserId(e164);
}

/**
 * A channel identity as given to the API or by an agent, as the channel writes it: on phone channels any written
 * form of the number (`+49 151 …`, `0049…`, `49…@c.us`) becomes the channel's own form; `…@lid` and other
 * channels' ids are taken as they are.
 */
export function channelUserId(channel: string, identity: string, defaultCountry?: CountryCode): string | undefined {
  if (!isPhoneChannel(channel)) return identity.trim() || undefined;
  if (channel === 'whatsapp-web' && /^[\w.-]+@lid$/.test(identity.trim())) return identity.trim();
  const e164 = normalizePhone(identity.trim().replace(/@c\.us$/, ''), defaultCountry);
  return e164 ? userIdForPhone(channel, e164) : undefined;
}
