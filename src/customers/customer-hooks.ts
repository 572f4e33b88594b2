/**
 * The customer's choices in conversation, as a turn hook that runs in either mode (also while a person has the
 * conversation): STOP / START and their German forms, "message me on WhatsApp instead" (words or a button), linking
 * another channel with a one-time code, and the implied consent of writing to the business.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { TurnInput } from '../engine/types.ts';
import type { TurnHooks, TurnOverride } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { Conversation, Db } from '../store/types.ts';
import { channelLabel } from './channel-words.ts';
import { PURPOSES, type ConsentLedger, type Purpose } from './consent-ledger.ts';
import { parseConsentCommand, type ConsentCommand } from './consent-keywords.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { LINK_PAYLOAD, parseLinkCode, parseLinkRequest, parsePreference, PREFER_PAYLOAD } from './customer-intents.ts';
import { customerNotice, customerText, purposeWords } from './customer-notices.ts';
import { LINK_CODE_MAX_ATTEMPTS, type LinkCodes } from './link-codes.ts';
import { mergeCustomers } from './merge-customers.ts';
import type { OutboundRouter } from './outbound-router.ts';
import { normalizePhone, userIdForPhone } from './phone-identity.ts';

export interface CustomerHooksOptions {
  db: Db;
  directory: CustomerDirectory;
  ledger: ConsentLedger;
  codes: LinkCodes;
  router: OutboundRouter;
  enabled: (channel: string) => boolean;
  defaultCountry?: CountryCode | undefined;
  logger: Logger;
}

type Reply = Extract<TurnOverride, { kind: 'reply' }>;

export function createCustomerHooks(options: CustomerHooksOptions): TurnHooks {
  const { directory, ledger, codes } = options;
  const localeOf = (c: Conversation) => c.state.locale ?? c.locale ?? undefined;
  const reply = (...replies: Reply['replies']): Reply => ({ kind: 'reply', replies });
  const how = (input: TurnInput) => (input.payload !== undefined ? 'button' : 'keyword');

  async function consent(conversation: Conversation, input: TurnInput, inboundId: string, command: ConsentCommand): Promise<Reply | undefined> {
    const locale = command.locale ?? localeOf(conversation);
    const channel = conversation.channel;
    const label = channelLabel(channel, locale);
    const said = input.text ?? input.payload ?? null;
    if (command.kind === 'stop') {
      const shown = customerText('stopped', locale, { channel: label });
      for (const purpose of PURPOSES) {
        await ledger.record({ customerId: conversation.customerId, channel, purpose, state: 'withdrawn', how: how(input), said, shown, messageId: inboundId });
      }
      return reply({ text: shown });
    }
    const stopped = await ledger.lastStopped(conversation.customerId, channel);
    if (command.restoreOnly && !(await ledger.hasWithdrawn(conversation.customerId, channel))) return undefined;
    const restore: Purpose[] = [...new Set<Purpose>(['service', ...(stopped.length > 0 ? stopped : ['notifications' as const])])];
    const shown = customerText('started', locale, { channel: label, purposes: purposeWords(restore, locale) });
    for (const purpose of restore) {
      await ledger.record({ customerId: conversation.customerId, channel, purpose, state: 'granted', how: how(input), said, shown, messageId: inboundId });
    }
    return reply({ text: shown });
  }

  async function prefer(conversation: Conversation, input: TurnInput, inboundId: string, channels: string[], said?: 'en' | 'de'): Promise<Reply> {
    const locale = said === 'de' ? 'de' : localeOf(conversation);
    for (const channel of channels) {
      if (!options.enabled(channel) || !(await directory.latestConversation(conversation.customerId, channel))) continue;
      const shown = customerText('preferenceSet', locale, { channel: channelLabel(channel, locale) });
      await directory.choose(conversation.customerId, channel);
      // Asking to be messaged on a channel is consent to be messaged there by our team.
      if (!(await ledger.isGranted(conversation.customerId, channel, 'service'))) {
        await ledger.record({ customerId: conversation.customerId, channel, purpose: 'service', state: 'granted', how: how(input), said: input.text ?? input.payload ?? null, shown, messageId: inboundId });
      }
      return reply({ text: shown });
    }
    const wanted = channels.find(options.enabled);
    if (!wanted) return reply(customerNotice('channelUnavailable', locale, { channel: channelLabel(channels[0]!, locale) }));
    const label = channelLabel(wanted, locale);
    return reply(customerNotice('preferenceUnknown', locale, { channel: label }, [{ title: customerText('on', locale, { channel: label }).slice(0, 20), payload: `${LINK_PAYLOAD}${wanted}` }]));
  }

  async function link(conversation: Conversation, channels: string[], number: string | undefined, said?: 'en' | 'de'): Promise<Reply> {
    const locale = said === 'de' ? 'de' : localeOf(conversation);
    const others = channels.filter((c) => c !== conversation.channel && options.enabled(c));
    if (others.length === 0) {
      const label = channelLabel(channels[0] ?? conversation.channel, locale);
      return reply(customerNotice(channels.includes(conversation.channel) ? 'linkSameChannel' : 'channelUnavailable', locale, { channel: label }));
    }
    const origin = channelLabel(conversation.channel, locale);
    if (number !== undefined) {
      const phone = normalizePhone(number, options.defaultCountry);
      if (!phone) return reply(customerNotice('linkBadNumber', locale));
      const known = await options.db.query<{ channel: string; external_id: string; customer_id: string }>(
        'SELECT channel, external_id, customer_id FROM identities WHERE phone = $1 AND channel = ANY($2::text[]) ORDER BY created_at', [phone, others]);
      const identity = known.rows[0];
      if (identity?.customer_id === conversation.customerId) return reply(customerNotice('linkAlready', locale, { channel: channelLabel(identity.channel, locale) }));
      const there = identity ? await directory.latestConversation(identity.customer_id, identity.channel) : null;
      if (identity && there && (await codes.throttled(conversation.customerId, identity.channel, identity.external_id))) {
        return reply(customerNotice('linkTooMany', locale));
      }
      if (identity && there) {
        const code = await codes.issue(conversation.customerId, identity.channel, 'issuer', identity.external_id);
        const sent = await options.router.start(there, customerNotice('linkCodeMessage', localeOf(there) ?? locale, { origin, code }), 'service', 'link');
        if (sent.sent) return reply(customerNotice('linkCodeSent', locale, { channel: channelLabel(identity.channel, locale) }));
      }
      const channel = identity?.channel ?? others[0]!;
      const code = await codes.issue(conversation.customerId, channel, 'target', userIdForPhone(channel, phone) ?? null);
      return reply(customerNotice('linkCodeShow', locale, { channel: channelLabel(channel, locale), code }));
    }
    const channel = others[0]!;
    const code = await codes.issue(conversation.customerId, channel, 'target', null);
    return reply(customerNotice('linkCodeShow', locale, { channel: channelLabel(channel, locale), code }));
  }

  async function linked(conversation: Conversation, a: string, b: string, otherChannel: string): Promise<Reply> {
    const locale = localeOf(conversation);
    if (a !== b) await mergeCustomers(options.db, a, b, { how: 'code' });
    const other = channelLabel(otherChannel, locale);
    return reply(customerNotice('linked', locale, { channel: other, origin: channelLabel(conversation.channel, locale) }, [
      { title: customerText('on', locale, { channel: other }).slice(0, 20), payload: `${PREFER_PAYLOAD}${otherChannel}` },
      { title: customerText('here', locale), payload: `${PREFER_PAYLOAD}${conversation.channel}` },
    ]));
  }

  async function code(conversation: Conversation, typed: string): Promise<Reply | undefined> {
    const locale = localeOf(conversation);
    const pending = await codes.pendingFor(conversation.customerId);
    if (pending) {
      if (pending.expired) {
        await codes.discard(pending.id);
        return reply(customerNotice('linkCodeGone', locale));
      }
      if (await codes.redeemIssuer(pending, typed)) {
        const other = pending.targetUserId ? await directory.byIdentity(pending.targetChannel, pending.targetUserId) : null;
        if (!other) return reply(customerNotice('linkCodeGone', locale));
        return linked(conversation, conversation.customerId, other, pending.targetChannel);
      }
      return reply(customerNotice(pending.attempts + 1 >= LINK_CODE_MAX_ATTEMPTS ? 'linkCodeGone' : 'linkWrongCode', locale));
    }
    // Codes shown on another channel are guessed at most a few times an hour from one customer.
    if (!(await codes.openOn(conversation.channel)) || !(await codes.guessesLeft(conversation.customerId))) return undefined;
    const issued = await codes.redeemTarget(conversation.channel, conversation.address.userId, typed);
    if (!issued) {
      await codes.recordFailure(conversation.customerId);
      return undefined;
    }
    const origin = await directory.channelsByRecency(issued.customerId);
    return linked(conversation, issued.customerId, conversation.customerId, origin[0] ?? conversation.channel);
  }

  return {
    async beforeTurn(conversation, input, inboundId) {
      if (inboundId === null) return undefined;
      const customerId = conversation.customerId;
      await directory.noteChannel(customerId, conversation.channel);
      const command = parseConsentCommand(input);
      const answered = command ? await consent(conversation, input, inboundId, command) : undefined;
      if (answered) return answered;
      // Writing to the business is consent to be answered, by the bot and by its people, on this channel.
      if (!(await ledger.isGranted(customerId, conversation.channel, 'service'))) {
        await ledger.record({ customerId, channel: conversation.channel, purpose: 'service', state: 'granted', how: 'implied-by-contact', messageId: inboundId });
      }
      const typed = parseLinkCode(input);
      if (typed) {
        const done = await code(conversation, typed);
        if (done) return done;
      }
      const request = parseLinkRequest(input);
      // German words are answered in German; English ones in the conversation's language.
      if (request) return link(conversation, request.channels, request.number, request.locale);
      const preference = parsePreference(input);
      if (preference) return prefer(conversation, input, inboundId, preference.channels, preference.locale);
      return undefined;
    },
  };
}
