import type { CountryCode } from 'libphonenumber-js';
import type { Queryable } from '../store/types.ts';
import type { ConsentEvent } from './consent-ledger.ts';
import { resolveCustomerRef } from './customer-ref.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Identity {
  channel: string;
  /** The channel's own id for the customer (a wa_id, `…@c.us`, `…@lid`, a web chat conversation id, …). */
  userId: string;
  /** E.164, for identities that are phone numbers. */
  phone: string | null;
  createdAt: Date;
}

export interface CustomerProfile {
  id: string;
  displayName: string | null;
  /** The channel the customer chose ("message me on WhatsApp instead"); it wins over the last used one. */
  chosenChannel: string | null;
  chosenAt: Date | null;
  /** The channel of the customer's latest message. */
  lastChannel: string | null;
  identities: Identity[];
}

export type CustomerSummary = Omit<CustomerProfile, 'identities'>;

/** What the agent workspace's sidebar shows of a customer: the profile with the identities, and the consent in force. */
export interface CustomerRecord {
  profile: CustomerProfile | null;
  consent: ConsentEvent[];
}

/**
 * Customers, their identities and their preferred channel (migration 0006). Their conversations are the store's
 * (`Store.latestConversation`, `Store.channelsByRecency`).
 */
export class CustomerDirectory {
  constructor(private readonly db: Queryable) {}

  async profile(customerId: string, q: Queryable = this.db): Promise<CustomerProfile | null> {
    const customer = await this.summary(customerId, q);
    return customer && { ...customer, identities: await this.identities(customerId, q) };
  }

  /** The customer without their identities: the name and the channels a late message goes to (a handoff's context). */
  async summary(customerId: string, q: Queryable = this.db): Promise<CustomerSummary | null> {
    if (!UUID.test(customerId)) return null;
    const customer = await q.query<{ id: string; display_name: string | null; preferred_channel: string | null; preferred_channel_at: Date | null; last_channel: string | null }>(
      'SELECT id, display_name, preferred_channel, preferred_channel_at, last_channel FROM customers WHERE id = $1',
      [customerId],
    );
    const row = customer.rows[0];
    if (!row) return null;
    return { id: row.id, displayName: row.display_name, chosenChannel: row.preferred_channel, chosenAt: row.preferred_channel_at, lastChannel: row.last_channel };
  }

  async identities(customerId: string, q: Queryable = this.db): Promise<Identity[]> {
    const result = await q.query<{ channel: string; external_id: string; phone: string | null; created_at: Date }>(
      'SELECT channel, external_id, phone, created_at FROM identities WHERE customer_id = $1 ORDER BY created_at, channel',
      [customerId],
    );
    return result.rows.map((r) => ({ channel: r.channel, userId: r.external_id, phone: r.phone, createdAt: r.created_at }));
  }

  /** The customer behind a channel identity, as the channel writes it. */
  async byIdentity(channel: string, userId: string): Promise<string | null> {
    const result = await this.db.query<{ customer_id: string }>('SELECT customer_id FROM identities WHERE channel = $1 AND external_id = $2', [channel, userId]);
    return result.rows[0]?.customer_id ?? null;
  }

  /** The customer a command or an admin names: an id, `channel:id` or a phone number (customer-ref.ts). */
  resolveRef(ref: string, defaultCountry?: CountryCode): Promise<string> {
    return resolveCustomerRef(this.db, ref, defaultCountry);
  }

  async exists(customerId: string): Promise<boolean> {
    if (!UUID.test(customerId)) return false;
    const result = await this.db.query('SELECT 1 FROM customers WHERE id = $1', [customerId]);
    return result.rowCount > 0;
  }

  /** Records the channel of the customer's latest message (a write only when it changed). */
  async noteChannel(customerId: string, channel: string): Promise<void> {
    await this.db.query('UPDATE customers SET last_channel = $2 WHERE id = $1 AND last_channel IS DISTINCT FROM $2', [customerId, channel]);
  }

  /** Records the channel the customer chose; null goes back to "the one I last used". */
  async choose(customerId: string, channel: string | null): Promise<void> {
    await this.db.query('UPDATE customers SET preferred_channel = $2, preferred_channel_at = now() WHERE id = $1', [customerId, channel]);
  }
}

/** The channel Parley starts messages on: the one the customer chose, else the one they last wrote on. */
export function preferredChannel(profile: Pick<CustomerProfile, 'chosenChannel' | 'lastChannel'>): string | null {
  return profile.chosenChannel ?? profile.lastChannel;
}
