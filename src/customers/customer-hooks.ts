/**
 * The customer's choices in conversation, as a turn hook that runs in either mode (also while a person has the
 * conversation): STOP / START and their German forms, "message me on WhatsApp instead" (words or a button), linking
 * another channel with a one-time code, and the implied consent of writing to the business.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { TurnInput } from '../engine/types.ts';
import type { TurnHooks, TurnOverride } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { Conversation } from '../store/types.ts';
import { channelLabel } from './channel-words.ts';
import { PURPOSES, type ConsentLedger, type Purpose } from './consent-ledger.ts';
import { asksFor } from '../core/understanding.ts';
import { CONSENT_START_INTENT, CONSENT_STOP_INTENT, parseConsentCommand, type ConsentCommand } from './consent-keywords.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { LINK_INTENT, LINK_PAYLOAD, parseLinkCode, parseLinkRequest, parsePreference, PREFER_CHANNEL_INTENT, PREFER_PAYLOAD } from './customer-intents.ts';
import { customerNotice, customerText, purposeWords } from './customer-notices.ts';
import type { LinkLimits } from './customers-config.ts';
import type { LinkAddressLimits } from './link-address-limits.ts';
import { LINK_CODE_MAX_ATTEMPTS, normalizeLongCode, type LinkCodes } from './link-codes.ts';
import type { MergeCustomers } from './merge-customers.ts';
import type { CustomerConversations, OutboundRouter } from './outbound-router.ts';
import type { CustomersRepository } from './repository.ts';
import { isPhoneChannel, normalizePhone, userIdForPhone } from '../core/phone-identity.ts';

export interface CustomerHooksOptions {
  repository: CustomersRepository;
  /** Makes two customers one (merge-customers.ts). */
  merge: MergeCustomers;
  directory: CustomerDirectory;
  /** The customer's conversations (the store's). */
  conversations: CustomerConversations;
  ledger: ConsentLedger;
  codes: LinkCodes;
  router: OutboundRouter;
  enabled: (channel: string) => boolean;
  defaultCountry?: CountryCode | undefined;
  /** Linking per client address (web chat); channels without an address rely on the limits per customer and identity. */
  addressLimits: LinkAddressLimits;
  limits: Pick<LinkLimits, 'codesPerNumberPerDay'>;
  logger: Logger;
}

type Reply = Extract<TurnOverride, { kind: 'reply' }>;

/**
 * STOP or START: a button's exactly; a message's as the understanding step took it — the carriers' words, or other
 * words ("please stop messaging me") that ranked first — confirmed in the language it was written in.
 */
function consentCommand(input: TurnInput): ConsentCommand | undefined {
  if (input.payload !== undefined) return parseConsentCommand(input);
  const kind = asksFor(input, CONSENT_STOP_INTENT) ? 'stop' : asksFor(input, CONSENT_START_INTENT) ? 'start' : undefined;
  if (!kind) return undefined;
  const words = parseConsentCommand(input);
  if (words?.kind === kind) return words;
  return { kind, ...(input.understood?.language === 'de' ? { locale: 'de' as const } : {}) };
}

export function createCustomerHooks(options: CustomerHooksOptions): TurnHooks {
  const { directory, ledger, codes, addressLimits: limits } = options;
  const localeOf = (c: Conversation) => c.state.locale ?? c.locale ?? undefined;
  const reply = (...replies: Reply['replies']): Reply => ({ kind: 'reply', replies });
  const how = (input: TurnInput) => (input.payload !== undefined ? 'button' : input.understood?.intent && !input.understood.intent.exact ? 'words' : 'keyword');

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
      if (!options.enabled(channel) || !(await options.conversations.latestConversation(conversation.customerId, channel))) continue;
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

  async function link(conversation: Conversation, channels: string[], number: string | undefined, said: 'en' | 'de' | undefined, clientAddress: string | undefined): Promise<Reply> {
    const locale = said === 'de' ? 'de' : localeOf(conversation);
    const customerId = conversation.customerId;
    const others = channels.filter((c) => c !== conversation.channel && options.enabled(c));
    if (others.length === 0) {
      const label = channelLabel(channels[0] ?? conversation.channel, locale);
      return reply(customerNotice(channels.includes(conversation.channel) ? 'linkSameChannel' : 'channelUnavailable', locale, { channel: label }));
    }
    const phoneChannels = others.filter(isPhoneChannel);
    if (phoneChannels.length === 0) {
      // No identity to bind the code to (the web chat's visitors are anonymous): a long code, any identity there may send it.
      if (!(await limits.attempt(clientAddress)) || !(await codes.requestAllowed(customerId))) return reply(customerNotice('linkTooMany', locale));
      const code = await codes.issue(customerId, others[0]!, 'target', null);
      return reply(customerNotice('linkCodeShow', locale, { channel: channelLabel(others[0]!, locale), code }));
    }
    const label = channelLabel(phoneChannels[0]!, locale);
    // Every code for a phone channel is bound to the number it may link: without a number there is none to bind it to.
    if (number === undefined) return reply(customerNotice('linkNeedsNumber', locale, { channel: label }));
    const phone = normalizePhone(number, options.defaultCountry);
    if (!phone) return reply(customerNotice('linkBadNumber', locale));
    const identity = (await options.repository.identitiesWithPhone(phone, phoneChannels))[0];
    if (identity?.customer_id === customerId) return reply(customerNotice('linkAlready', locale, { channel: channelLabel(identity.channel, locale) }));
    if (!(await limits.attempt(clientAddress)) || !(await codes.requestAllowed(customerId))) return reply(customerNotice('linkTooMany', locale));
    const channel = identity?.channel ?? phoneChannels[0]!;
    const shown = await codes.issue(customerId, channel, 'target', userIdForPhone(channel, phone)!);
    // Known number or stranger, the visitor reads the same reply; a code also goes to a number we already chat with,
    // within the limits per number, per customer and per client address.
    if (identity) await sendCode(conversation, identity, clientAddress);
    return reply(customerNotice('linkCodeNumber', locale, { channel: label, number: phone, code: shown }));
  }

  async function sendCode(conversation: Conversation, identity: { channel: string; external_id: string; customer_id: string }, clientAddress: string | undefined): Promise<void> {
    const there = await options.conversations.latestConversation(identity.customer_id, identity.channel);
    if (!there || there.address.userId !== identity.external_id) return;
    if (!(await codes.mayBeSent(conversation.customerId, identity.channel, identity.external_id, options.limits.codesPerNumberPerDay))) return;
    if (!(await limits.send(clientAddress))) return;
    const code = await codes.issue(conversation.customerId, identity.channel, 'issuer', identity.external_id);
    const origin = channelLabel(conversation.channel, localeOf(there));
    const sent = await options.router.start(there, customerNotice('linkCodeMessage', localeOf(there), { origin, code }), 'service', 'link');
    if (!sent.sent) {
      const pending = await codes.pendingFor(conversation.customerId);
      if (pending) await codes.discard(pending.id);
    }
  }

  async function linked(conversation: Conversation, a: string, b: string, otherChannel: string): Promise<Reply> {
    const locale = localeOf(conversation);
    if (a !== b) await options.merge(a, b, { how: 'code' });
    const other = channelLabel(otherChannel, locale);
    return reply(customerNotice('linked', locale, { channel: other, origin: channelLabel(conversation.channel, locale) }, [
      { title: customerText('on', locale, { channel: other }).slice(0, 20), payload: `${PREFER_PAYLOAD}${otherChannel}` },
      { title: customerText('here', locale), payload: `${PREFER_PAYLOAD}${conversation.channel}` },
    ]));
  }

  async function code(conversation: Conversation, typed: string, clientAddress: string | undefined): Promise<Reply | undefined> {
    const locale = localeOf(conversation);
    const customerId = conversation.customerId;
    const long = normalizeLongCode(typed) !== undefined;
    const pending = long ? null : await codes.pendingFor(customerId);
    if (pending) {
      if (pending.expired) {
        await codes.discard(pending.id);
        return reply(customerNotice('linkCodeGone', locale));
      }
      if (!(await limits.attempt(clientAddress))) return reply(customerNotice('linkTooMany', locale));
      if (await codes.redeemIssuer(pending, typed)) {
        const other = pending.targetUserId ? await directory.byIdentity(pending.targetChannel, pending.targetUserId) : null;
        if (!other) return reply(customerNotice('linkCodeGone', locale));
        return linked(conversation, customerId, other, pending.targetChannel);
      }
      return reply(customerNotice(pending.attempts + 1 >= LINK_CODE_MAX_ATTEMPTS ? 'linkCodeGone' : 'linkWrongCode', locale));
    }
    // Six digits are a code only where one waits for this very identity (else it may be an order number).
    if (!long && !(await codes.waitsFor(conversation.channel, conversation.address.userId))) return undefined;
    // Past this customer's wrong codes for the hour, or this address's attempts, nothing is checked.
    if (!(await codes.guessesLeft(customerId)) || !(await limits.attempt(clientAddress))) return undefined;
    const result = await codes.redeemTarget(conversation.channel, conversation.address.userId, typed);
    if (!result) return undefined;
    if (result.kind === 'wrong') {
      await codes.recordFailure(customerId);
      return reply(customerNotice('linkWrongCode', locale));
    }
    const origin = await options.conversations.channelsByRecency(result.code.customerId);
    return linked(conversation, result.code.customerId, customerId, origin[0] ?? conversation.channel);
  }

  return {
    async beforeTurn(conversation, input, inboundId, unit, inbound) {
      if (inboundId === null) return undefined;
      const customerId = conversation.customerId;
      if (unit.reads.lastChannel !== conversation.channel) unit.write({ kind: 'last-channel', channel: conversation.channel });
      const command = consentCommand(input);
      const answered = command ? await consent(conversation, input, inboundId, command) : undefined;
      if (answered) return answered;
      // Writing to the business is consent to be answered, by the bot and by its people, on this channel: recorded with
      // the turn's commit, from what the turn's read loaded.
      if (unit.reads.consent.service !== 'granted') {
        unit.write(ledger.recordInTurn({ channel: conversation.channel, purpose: 'service', state: 'granted', how: 'implied-by-contact', messageId: inboundId }));
      }
      const typed = parseLinkCode(input);
      if (typed) {
        const done = await code(conversation, typed, inbound?.clientAddress);
        if (done) return done;
      }
      const request = input.payload !== undefined || asksFor(input, LINK_INTENT) ? parseLinkRequest(input) : undefined;
      // German words are answered in German; English ones in the conversation's language.
      if (request) return link(conversation, request.channels, request.number, request.locale, inbound?.clientAddress);
      const preference = input.payload !== undefined || asksFor(input, PREFER_CHANNEL_INTENT) ? parsePreference(input) : undefined;
      if (preference) return prefer(conversation, input, inboundId, preference.channels, preference.locale);
      return undefined;
    },
  };
}
