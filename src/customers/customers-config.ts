/**
 * The settings of src/customers. Their zod shape is spread into src/config.ts's EnvSchema, so they are parsed with
 * every other setting, once, at start.
 */
import { getCountries, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { hashToken } from '../infra/secret-hash.ts';

const countries = new Set<string>(getCountries());
const KeyEntry = /^(?:([A-Za-z0-9_.-]{1,64})=)?(sha256\$[0-9a-f]{64}|\S{24,})$/;

export const CUSTOMERS_ENV = {
  /**
   * API keys of the business's systems for /api/notify, /api/consents, /api/link-codes and /api/customers/:id: comma-separated `name=sha256$<hex>`
   * (hash with `npx tsx src/handoff/hash-secret.ts --token KEY`), or a plain key of 24+ characters. Unset: 404.
   */
  NOTIFY_API_KEYS: z
    .string()
    .refine((value) => value.split(',').every((entry) => KeyEntry.test(entry.trim())), 'each key must be name=sha256$<64 hex> or a key of 24+ characters')
    .optional(),
  /** Country (ISO 3166 code, e.g. DE) of phone numbers written without their country code (`0151 …`); unset: refused. */
  PHONE_DEFAULT_COUNTRY: z
    .string()
    .transform((value) => value.toUpperCase())
    .refine((value) => countries.has(value), 'must be a country code like DE')
    .optional(),
  /** Link requests and link codes typed from one client address (web chat) in an hour; past it they are not checked. */
  LINK_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Link codes Parley sends to phone numbers in a day on behalf of one client address (web chat). */
  LINK_CODES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Link codes Parley sends to one number (one channel identity) in a day, whoever asks: customers and the business's app. */
  LINK_CODES_PER_NUMBER: z.coerce.number().int().min(1).max(100).default(3),
};

export interface ApiKey {
  /** Shown in the ledger as who recorded a consent (`api:<name>`), never the key. */
  name: string;
  /** `sha256$<hex>`: keys are compared by their hash, in constant time. */
  hash: string;
}

export interface CustomersConfig {
  /** Empty: /api/notify and /api/consents answer 404. */
  apiKeys: ApiKey[];
  defaultCountry: CountryCode | undefined;
  links: LinkLimits;
}

/** How often linking may be tried (docs/customers.md, "Limits on linking"). */
export interface LinkLimits {
  /** Link requests and typed codes per client address and hour. */
  attemptsPerAddressPerHour: number;
  /** Codes sent to numbers per client address and day. */
  codesPerAddressPerDay: number;
  /** Codes sent to one channel identity per day. */
  codesPerNumberPerDay: number;
}

export const DEFAULT_LINK_LIMITS: LinkLimits = { attemptsPerAddressPerHour: 20, codesPerAddressPerDay: 10, codesPerNumberPerDay: 3 };

export function customersConfig(env: {
  NOTIFY_API_KEYS?: string | undefined; PHONE_DEFAULT_COUNTRY?: string | undefined;
  LINK_ATTEMPTS_PER_ADDRESS?: number; LINK_CODES_PER_ADDRESS?: number; LINK_CODES_PER_NUMBER?: number;
}): CustomersConfig {
  const apiKeys = (env.NOTIFY_API_KEYS ?? '').split(',').map((entry) => entry.trim()).filter(Boolean).map((entry, index) => {
    const [, name, secret] = KeyEntry.exec(entry)!;
    return { name: name ?? `key${index + 1}`, hash: secret!.startsWith('sha256$') ? secret! : hashToken(secret!) };
  });
  const links: LinkLimits = {
    attemptsPerAddressPerHour: env.LINK_ATTEMPTS_PER_ADDRESS ?? DEFAULT_LINK_LIMITS.attemptsPerAddressPerHour,
    codesPerAddressPerDay: env.LINK_CODES_PER_ADDRESS ?? DEFAULT_LINK_LIMITS.codesPerAddressPerDay,
    codesPerNumberPerDay: env.LINK_CODES_PER_NUMBER ?? DEFAULT_LINK_LIMITS.codesPerNumberPerDay,
  };
  return { apiKeys, defaultCountry: env.PHONE_DEFAULT_COUNTRY as CountryCode | undefined, links };
}
