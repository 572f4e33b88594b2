/**
 * Linking by an agent (the customer told them on the phone, showed an ID, …), never by a name match:
 *
 *   POST /agent/api/customers/link  { customerId, with: { customerId } | { channel, identity } }
 *     → 200 { customerId, merged, identities }
 *
 * A console session (or an agent's token) is required; an agent who is not an admin may link only customers with a
 * handoff in their queues, on both sides (else 404, the same as for no such customer). ADMIN_TOKEN works too. A
 * number Parley has not seen on a phone channel is added to the customer (so `{ channel: "whatsapp", identity:
 * "+49 151 …" }` reaches them there once they write), recorded in customer_links as `agent-word`: the agent's word,
 * not a proof.
 *
 *   GET /agent/api/customers/links[?customerId=…&limit=100]   (admins) → 200 { links: [{ customerId, absorbedCustomerId, how, actor, channel, at }] }
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ParleyError } from '../core/errors.ts';
import type { CustomersRepository } from './repository.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import type { MergeCustomers } from './merge-customers.ts';
import { channelUserId, isPhoneChannel, phoneOfIdentity } from '../core/phone-identity.ts';

/** Who asks: an agent (with their queues) or an admin. */
export type LinkActor = { id: string; admin: boolean; queues: readonly string[] };

export interface AgentLinkOptions {
  repository: CustomersRepository;
  /** Whether the customer has a handoff in one of these queues (the handoff module's records; false without it). */
  hasHandoffIn: (customerId: string, queues: readonly string[]) => Promise<boolean>;
  /** Makes two customers one (merge-customers.ts). */
  merge: MergeCustomers;
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

/** One answer for "no such customer" and "not in your queues", so an agent cannot tell them apart. */
const notYours = () => new ParleyError('NOT_FOUND', 'no such customer in your queues');

export async function registerAgentLinkRoutes(http: FastifyInstance, options: AgentLinkOptions): Promise<void> {
  const { repository, directory } = options;

  /** Whether the customer exists and the actor may see them: admins any, agents those with a handoff in their queues. */
  async function mayLink(actor: LinkActor, customerId: string): Promise<boolean> {
    if (!(await directory.exists(customerId))) return false;
    if (actor.admin) return true;
    return options.hasHandoffIn(customerId, actor.queues);
  }

  http.post('/agent/api/customers/link', async (request) => {
    const actor = await options.actorOf(request);
    if (!actor) throw new ParleyError('UNAUTHORIZED', 'sign in first');
    const parsed = LinkBody.safeParse(request.body);
    if (!parsed.success) throw new ParleyError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    const body = parsed.data;
    if (!(await mayLink(actor, body.customerId))) throw notYours();
    let other: string | null;
    if ('customerId' in body.with) {
      other = body.with.customerId;
    } else {
      const { channel } = body.with;
      const userId = channelUserId(channel, body.with.identity, options.defaultCountry);
      if (!userId) throw new ParleyError('BAD_REQUEST', `with.identity: not an identity on ${channel}`);
      other = await directory.byIdentity(channel, userId);
      if (!other) {
        if (!isPhoneChannel(channel)) throw notYours();
        // A number Parley has never seen joins this customer (who is in the agent's queues) on the agent's word alone.
        await repository.addIdentityOnAgentWord(body.customerId, channel, userId, phoneOfIdentity(channel, userId) ?? null, actor.id);
        other = body.customerId;
      }
    }
    // Both sides must be the agent's: the answer names the other customer's identities (a web chat id reads its transcript).
    if (other !== body.customerId && !(await mayLink(actor, other))) throw notYours();
    const merged = other === body.customerId ? null : await options.merge(body.customerId, other, { how: 'agent', actor: actor.id });
    const customerId = merged?.customerId ?? body.customerId;
    const identities = await directory.identities(customerId);
    return { customerId, merged: merged !== null, identities: identities.map((i) => ({ channel: i.channel, identity: i.userId, phone: i.phone })) };
  });

  // For admins: every link, who made it, when and how; no identity is shown, only the channel an agent vouched for.
  http.get('/agent/api/customers/links', async (request) => {
    const actor = await options.actorOf(request);
    if (!actor) throw new ParleyError('UNAUTHORIZED', 'sign in first');
    if (!actor.admin) throw new ParleyError('NOT_FOUND', 'not found');
    const query = z.object({ customerId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }).safeParse(request.query);
    if (!query.success) throw new ParleyError('BAD_REQUEST', 'customerId must be a customer id, limit 1 to 500');
    const { customerId, limit } = query.data;
    return {
      links: (await repository.links(customerId, limit)).map((r) => ({
        id: String(r.id), customerId: r.customer_id, absorbedCustomerId: r.absorbed_customer_id, how: r.how, actor: r.actor, channel: r.channel, at: r.at.toISOString(),
      })),
    };
  });
}
