/**
 * The customer a command or an admin names: Parley's customer id (uuid), a channel identity as `channel:id`
 * (`whatsapp:+49 151 2345678`, `web:conv-123`; phone numbers in any written form, through src/customers'
 * normaliser), or a bare phone number in international form (`+49151…`), matched on any phone channel.
 */
import type { CountryCode } from 'libphonenumber-js';
import { ParleyError } from '../core/errors.ts';
import { channelUserId, normalizePhone } from '../core/phone-identity.ts';
import type { Queryable } from '../store/types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The customer's id, or NOT_FOUND; BAD_REQUEST when the reference has no recognisable form. */
export async function resolveCustomerRef(db: Queryable, ref: string, defaultCountry?: CountryCode): Promise<string> {
  const value = ref.trim();
  if (UUID.test(value)) {
    const found = await db.query<{ id: string }>('SELECT id FROM customers WHERE id = $1', [value.toLowerCase()]);
    if (found.rows[0]) return found.rows[0].id;
    throw new ParleyError('NOT_FOUND', 'no customer with that id');
  }
  if (value.startsWith('+')) {
    const phone = normalizePhone(value, defaultCountry);
    if (!phone) throw new ParleyError('BAD_REQUEST', 'not a phone number in international form');
    const found = await db.query<{ customer_id: string }>('SELECT DISTINCT customer_id FROM identities WHERE phone = $1', [phone]);
    if (found.rows.length > 1) throw new ParleyError('CONFLICT', 'that phone number belongs to more than one customer: name one as channel:id or by customer id');
    if (found.rows[0]) return found.rows[0].customer_id;
    throw new ParleyError('NOT_FOUND', 'no customer with that phone number');
  }
  const match = /^([a-z][a-z0-9_-]*):(.+)$/i.exec(value);
  if (!match) throw new ParleyError('BAD_REQUEST', 'name the customer by id (uuid), as channel:id (e.g. whatsapp:+49151…) or by phone number (+49151…)');
  const channel = match[1]!.toLowerCase();
  const userId = channelUserId(channel, match[2]!, defaultCountry) ?? match[2]!.trim();
  const found = await db.query<{ customer_id: string }>('SELECT customer_id FROM identities WHERE channel = $1 AND external_id = $2', [channel, userId]);
  if (found.rows[0]) return found.rows[0].customer_id;
  throw new ParleyError('NOT_FOUND', `no customer with that ${channel} identity`);
}
