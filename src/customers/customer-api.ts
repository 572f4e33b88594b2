/**
 * The API the business's own systems use, with an API key (NOTIFY_API_KEYS; unset, these routes answer 404):
 *
 *   POST /api/notify            send a notification through the consent ledger, to the customer's preferred channel
 *                               → 202 { messageId, channel, conversationId } | 409 no consent | 422 no reachable channel
 *   POST /api/consents          record consent the customer gave elsewhere (a checkout box), with its exact text
 *   GET  /api/customers/:id     identities, preferred channel, consent in force, recent refusals
 *   POST /api/link-codes        send a one-time code to another channel of the customer signed in to the business's app
 *   POST /api/link-codes/verify the code the customer typed in the app → the two are one customer
 *
 * A customer is `{ "id": uuid }` or `{ "channel": "whatsapp", "identity": "+49 151 …" }` (any written form of a
 * phone number on phone channels). `Idempotency-Key` on /api/notify: the same key with the same body gets the first
 * answer again and sends one message; with another body, 422.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ParleyError } from '../core/errors.ts';
import { apiKeyOf } from './api-key-auth.ts';
import { PURPOSES, type ConsentLedger } from './consent-ledger.ts';
import { preferredChannel, type CustomerDirectory } from './customer-directory.ts';
import type { CustomersConfig } from './customers-config.ts';
import { customerNotice, customerText } from './customer-notices.ts';
import { LINK_CODE_TTL_MS, type LinkCodes } from './link-codes.ts';
import type { MergeCustomers } from './merge-customers.ts';
import type { CustomerConversations, OutboundRouter } from './outbound-router.ts';
import type { CustomersRepository } from './repository.ts';
import { channelUserId } from '../core/phone-identity.ts';

export interface CustomerApiOptions {
  repository: CustomersRepository;
  /** Makes two customers one (merge-customers.ts). */
  merge: MergeCustomers;
  config: CustomersConfig;
  directory: CustomerDirectory;
  /** The customer's conversations (the store's). */
  conversations: CustomerConversations;
  ledger: ConsentLedger;
  router: OutboundRouter;
  codes: LinkCodes;
}

const printable = (value: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(value);
const CustomerRef = z.union([
  z.strictObject({ id: z.string().uuid() }),
  z.strictObject({ channel: z.string().min(1).max(64), identity: z.string().min(1).max(256) }),
]);
const NotifyBody = z.strictObject({
  customer: CustomerRef,
  purpose: z.enum(['notifications', 'marketing', 'service']),
  text: z.string().min(1).max(4096).refine(printable, 'contains control characters'),
  buttons: z.array(z.strictObject({ title: z.string().min(1).max(40), payload: z.string().min(1).max(256) })).max(10).optional(),
});
const ConsentBody = z.strictObject({
  customer: CustomerRef,
  channel: z.string().min(1).max(64),
  purpose: z.enum(PURPOSES),
  state: z.enum(['granted', 'withdrawn']),
  /** The exact text the customer agreed to (or withdrew from). */
  text: z.string().min(1).max(2000).refine(printable, 'contains control characters'),
});
const LinkCodeBody = z.strictObject({ customer: CustomerRef, channel: z.string().min(1).max(64), identity: z.string().min(1).max(256) });
const VerifyBody = z.strictObject({ customer: CustomerRef, code: z.string().regex(/^\d{6}$/, 'six digits') });
const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'Idempotency-Key: 1 to 128 letters, digits or . _ : -');

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ParleyError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** A stale claim (its process died) may be taken over after this long. */
const CLAIM_STALE_MS = 60_000;

export async function registerCustomerApi(http: FastifyInstance, options: CustomerApiOptions): Promise<void> {
  const { repository, config, directory, ledger, router, codes } = options;

  function guard(request: FastifyRequest, reply: FastifyReply): string | undefined {
    if (config.apiKeys.length === 0) {
      void reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'not found' } });
      return undefined;
    }
    const key = apiKeyOf(request, config.apiKeys);
    if (!key) {
      void reply.status(401).header('www-authenticate', 'Bearer').send({ error: { code: 'UNAUTHORIZED', message: 'a valid API key is required' } });
      return undefined;
    }
    return key.name;
  }

  async function customerOf(ref: z.infer<typeof CustomerRef>): Promise<string> {
    if ('id' in ref) {
      if (await directory.exists(ref.id)) return ref.id;
    } else {
      const userId = channelUserId(ref.channel, ref.identity, config.defaultCountry);
      if (!userId) throw new ParleyError('BAD_REQUEST', `customer.identity: not an identity on ${ref.channel}`);
      const id = await directory.byIdentity(ref.channel, userId);
      if (id) return id;
    }
    throw new ParleyError('NOT_FOUND', 'no such customer');
  }

  async function notify(body: z.infer<typeof NotifyBody>, keyName: string): Promise<{ status: number; body: Record<string, unknown>; customerId: string }> {
    const customerId = await customerOf(body.customer);
    const target = await router.route(customerId);
    if (!target) {
      const reason = 'the customer has no channel Parley can reach';
      await ledger.refuse({ customerId, channel: null, purpose: body.purpose, source: `notify:${keyName}`, reason });
      return { status: 422, customerId, body: { error: { code: 'NO_REACHABLE_CHANNEL', message: reason } } };
    }
    const outcome = await router.start(target, { text: body.text, ...(body.buttons ? { buttons: body.buttons } : {}) }, body.purpose, `notify:${keyName}`);
    if (!outcome.sent) {
      return { status: 409, customerId, body: { error: { code: outcome.code, message: outcome.reason }, messageId: outcome.message?.id ?? null, channel: target.channel } };
    }
    return { status: 202, customerId, body: { messageId: outcome.message.id, channel: target.channel, conversationId: target.id, status: 'accepted' } };
  }

  http.post('/api/notify', async (request, reply) => {
    const keyName = guard(request, reply);
    if (keyName === undefined) return reply;
    const body = parse(NotifyBody, request.body);
    const rawKey = request.headers['idempotency-key'];
    if (rawKey === undefined) {
      const result = await notify(body, keyName);
      return reply.status(result.status).send(result.body);
    }
    const key = parse(IdempotencyKey, rawKey);
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    if (!(await repository.claimNotify(keyName, key, hash))) {
      const row = await repository.priorNotify(keyName, key, CLAIM_STALE_MS);
      if (row && row.requestHash !== hash) {
        return reply.status(422).send({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: 'this Idempotency-Key was used with another request body' } });
      }
      if (row?.status != null && row.response) return reply.status(row.status).header('idempotent-replayed', 'true').send(row.response);
      if (!(await repository.takeOverNotify(keyName, key, CLAIM_STALE_MS))) {
        return reply.status(409).send({ error: { code: 'IN_PROGRESS', message: 'a request with this Idempotency-Key is being processed; retry shortly' } });
      }
    }
    let result: Awaited<ReturnType<typeof notify>>;
    try {
      result = await notify(body, keyName);
    } catch (error) {
      // Nothing was sent: the key may be used again.
      await repository.releaseNotify(keyName, key).catch(() => {});
      throw error;
    }
    await repository.finishNotify(keyName, key, result.status, result.body, result.customerId);
    return reply.status(result.status).send(result.body);
  });

  http.post('/api/consents', async (request, reply) => {
    const keyName = guard(request, reply);
    if (keyName === undefined) return reply;
    const body = parse(ConsentBody, request.body);
    const customerId = await customerOf(body.customer);
    const identities = await directory.identities(customerId);
    if (!identities.some((identity) => identity.channel === body.channel)) {
      throw new ParleyError('BAD_REQUEST', `channel: the customer has no identity on ${body.channel}`);
    }
    await ledger.record({ customerId, channel: body.channel, purpose: body.purpose, state: body.state, how: 'api', said: body.text, actor: `api:${keyName}` });
    return reply.status(201).send({ customerId, consents: await currentConsents(ledger, customerId) });
  });

  // The business's app proves a customer signed in there holds another identity: Parley sends a code to that
  // identity's conversation, the customer types it in the app, the app verifies it here.
  http.post('/api/link-codes', async (request, reply) => {
    const keyName = guard(request, reply);
    if (keyName === undefined) return reply;
    const body = parse(LinkCodeBody, request.body);
    const customerId = await customerOf(body.customer);
    const userId = channelUserId(body.channel, body.identity, config.defaultCountry);
    if (!userId) throw new ParleyError('BAD_REQUEST', `identity: not an identity on ${body.channel}`);
    const holder = await directory.byIdentity(body.channel, userId);
    const there = holder ? await options.conversations.latestConversation(holder, body.channel) : null;
    if (!holder || !there || there.address.userId !== userId) throw new ParleyError('NOT_FOUND', `the customer has not written to us from this identity on ${body.channel}`);
    if (holder === customerId) return reply.status(200).send({ customerId, linked: true });
    if (!(await codes.mayBeSent(customerId, body.channel, userId, config.links.codesPerNumberPerDay))) {
      return reply.status(429).send({ error: { code: 'TOO_MANY_CODES', message: 'a code went to this identity within the last minute, or it got its codes for the day, or this customer asked for its codes for the day' } });
    }
    const code = await codes.issue(customerId, body.channel, 'issuer', userId);
    const locale = there.state.locale ?? there.locale ?? undefined;
    const sent = await router.start(there, customerNotice('linkCodeMessage', locale, { origin: customerText('account', locale), code }), 'service', `link:${keyName}`);
    if (!sent.sent) return reply.status(409).send({ error: { code: sent.code, message: sent.reason } });
    return reply.status(202).send({ channel: body.channel, expiresInMs: LINK_CODE_TTL_MS });
  });

  http.post('/api/link-codes/verify', async (request, reply) => {
    const keyName = guard(request, reply);
    if (keyName === undefined) return reply;
    const body = parse(VerifyBody, request.body);
    const customerId = await customerOf(body.customer);
    const pending = await codes.pendingFor(customerId);
    if (!pending || pending.expired) {
      if (pending) await codes.discard(pending.id);
      return reply.status(422).send({ error: { code: 'NO_PENDING_CODE', message: 'no code is waiting for this customer (or it expired): ask for a new one' } });
    }
    if (!(await codes.redeemIssuer(pending, body.code))) return reply.status(422).send({ error: { code: 'WRONG_CODE', message: 'that is not the code that was sent' } });
    const other = pending.targetUserId ? await directory.byIdentity(pending.targetChannel, pending.targetUserId) : null;
    if (!other) return reply.status(422).send({ error: { code: 'NO_PENDING_CODE', message: 'the identity the code was sent to is gone' } });
    const merged = other === customerId ? null : await options.merge(customerId, other, { how: 'code', actor: `api:${keyName}` });
    return reply.status(200).send({ customerId: merged?.customerId ?? customerId, linked: true });
  });

  http.get('/api/customers/:id', async (request, reply) => {
    if (guard(request, reply) === undefined) return reply;
    const { id } = parse(z.object({ id: z.string().uuid() }), request.params);
    const profile = await directory.profile(id);
    if (!profile) throw new ParleyError('NOT_FOUND', 'no such customer');
    return {
      id: profile.id,
      identities: profile.identities.map((i) => ({ channel: i.channel, identity: i.userId, phone: i.phone })),
      preferredChannel: preferredChannel(profile),
      chosenChannel: profile.chosenChannel,
      lastChannel: profile.lastChannel,
      consents: await currentConsents(ledger, id),
      refusals: (await ledger.refusals(id, 20)).map(({ customerId: _c, ...r }) => ({ ...r, at: r.at.toISOString() })),
    };
  });
}

async function currentConsents(ledger: ConsentLedger, customerId: string) {
  return (await ledger.current(customerId)).map((e) => ({ channel: e.channel, purpose: e.purpose, state: e.state, how: e.how, at: e.at.toISOString(), said: e.said }));
}
