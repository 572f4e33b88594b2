/**
 * Linking by an agent (the customer told them on the phone, showed an ID, …), never by a name match:
 *
 *   POST /agent/api/customers/link  { customerId, with: { customerId } | { channel, identity } }
 *     → 200 { customerId, merged, identities }
 *
 * A console session (or an agent's token) is required; an agent who is not an admin may link only customers with a
 * handoff in their queues. ADMIN_TOKEN works too. An identity Parley has not seen on a phone channel is added to
 * the customer (so `{ channel: "whatsapp", identity: "+49 151 …" }` reaches them there once they write).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ParleyError } from '../core/errors.ts';
import type { Db } from '../store/types.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { mergeCustomers } from './merge-customers.ts';
import { channelUserId, isPhoneChannel, phoneOfIdentity } from './phone-identity.ts';

/** Who asks: an agent (with their queues) or an admin. */
export type LinkActor = { id: string; admin: boolean; queues: readonly string[] };

export interface AgentLinkOptions {
  db: Db;
  directory: CustomerDirectory;
  actorOf: (request: FastifyRequest) => Promise<LinkActor | undefined>;
  defaultCountry?: import('libphonenumber-js').CountryCode | undefined;
}

const LinkBody = z.strictObject({
  customerId: z.string().uuid(),
  with: z.union([
    z.strictObject({ customerId: z.string().uuid() }),
    z.strictObject({ channel: z.string().min(1).max(64), identity: z.string().min(1).max(256) }),
  ]),
});

export async function registerAgentLinkRoutes(http: FastifyInstance, options: AgentLinkOptions): Promise<void> {
  const { db, directory } = options;

  async function mayLink(actor: LinkActor, customerId: string): Promise<boolean> {
    if (actor.admin) return true;
    const result = await db.query(
      `SELECT 1 FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE c.customer_id = $1 AND h.queue = ANY($2::text[]) LIMIT 1`,
      [customerId, [...actor.queues]]);
    return result.rowCount > 0;
  }

  http.post('/agent/api/customers/link', async (request) => {
    const actor = await options.actorOf(request);
    if (!actor) throw new ParleyError('UNAUTHORIZED', 'sign in first');
    const parsed = LinkBody.safeParse(request.body);
    if (!parsed.success) throw new ParleyError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const body = parsed.data;
    if (!(await directory.exists(body.customerId)) || !(await mayLink(actor, body.customerId))) throw new ParleyError('NOT_FOUND', 'no such customer in your queues');
    let other: string | null;
    if ('customerId' in body.with) {
      other = (await directory.exists(body.with.customerId)) ? body.with.customerId : null;
      if (!other) throw new ParleyError('NOT_FOUND', 'no such customer');
    } else {
      const { channel } = body.with;
      const userId = channelUserId(channel, body.with.identity, options.defaultCountry);
      if (!userId) throw new ParleyError('BAD_REQUEST', `with.identity: not an identity on ${channel}`);
      other = await directory.byIdentity(channel, userId);
      if (!other) {
        if (!isPhoneChannel(channel)) throw new ParleyError('NOT_FOUND', `Parley has not seen this identity on ${channel}`);
        await db.query('INSERT INTO identities (channel, external_id, customer_id, phone) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [channel, userId, body.customerId, phoneOfIdentity(channel, userId) ?? null]);
        other = body.customerId;
      }
    }
    const merged = other === body.customerId ? null : await mergeCustomers(db, body.customerId, other, { how: 'agent', actor: actor.id });
    const customerId = merged?.customerId ?? body.customerId;
    const identities = await directory.identities(customerId);
    return { customerId, merged: merged !== null, identities: identities.map((i) => ({ channel: i.channel, identity: i.userId, phone: i.phone })) };
  });
}
