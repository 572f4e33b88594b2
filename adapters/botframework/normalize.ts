import { type Activity, type ConversationReference, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Address, Attachment, AttachmentKind, InboundMessage } from '../../src/core/message.ts';

export const BOTFRAMEWORK_CHANNEL = 'botframework';
/** Bot Framework takes activities up to about 256 KB; Teams shows about 28 KB of text in one message. */
export const MAX_TEXT_LENGTH = 28_000;
/** Longest button payload accepted from the channel (the same bound as the web chat's). */
const MAX_PAYLOAD_LENGTH = 256;
/** `handoff.status` states that end the handoff on the channel's side. */
export const HANDOFF_END_STATES = ['completed', 'failed'] as const;

const localeTag = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
// PostgreSQL cannot store NUL, and no one types C0 controls.
const clean = (value: string) => value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const account = z.looseObject({ id: z.string().nullish(), name: z.string().nullish() });
/** An account the schema requires, with its id (A2060, A2070). */
const requiredAccount = z.looseObject({ id: z.string().min(1), name: z.string().nullish() });

/**
 * The activity fields Parley reads, with their types, and those the Activity schema requires of a channel: `type`,
 * `channelId`, `from.id`, `recipient.id`, `conversation.id`, and the `serviceUrl` replies go to. CloudAdapter checks
 * little of an activity's shape, so a channel (or the Emulator) sending `attachments: 5` or no `recipient` must get a
 * 400 naming the field here, not a TypeError from inside botbuilder.
 */
export const ActivityFields = z.looseObject({
  type: z.string().min(1),
  id: z.string().nullish(),
  name: z.string().nullish(),
  serviceUrl: z.string().min(1),
  channelId: z.string().min(1),
  locale: z.string().nullish(),
  text: z.string().nullish(),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: requiredAccount,
  recipient: requiredAccount,
  membersAdded: z.array(account).nullish(),
  attachments: z.array(z.looseObject({ contentType: z.string().nullish(), contentUrl: z.string().nullish(), name: z.string().nullish() })).nullish(),
  entities: z.array(z.looseObject({ type: z.string().nullish(), text: z.string().nullish(), mentioned: account.nullish() })).nullish(),
});

/** The customer and conversation of an activity, or undefined when the activity does not name both. */
export function addressOf(activity: Partial<Activity>, userId = activity.from?.id): Address | undefined {
  const conversationId = activity.conversation?.id;
  if (!conversationId || !userId) return undefined;
  return { channel: BOTFRAMEWORK_CHANNEL, conversationId, userId };
}

/**
 * What must be kept to write into the conversation later, outside this turn (agent replies after a handoff, retried
 * deliveries): serviceUrl, channelId, conversation, bot and user. `activityId` is dropped: later messages are new
 * messages in the conversation, not replies to one activity.
 */
export function referenceOf(activity: Partial<Activity>): Partial<ConversationReference> | undefined {
  if (!activity.serviceUrl || !activity.conversation?.id) return undefined;
  const { activityId: _activityId, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

function payloadOf(activity: Partial<Activity>): string | undefined {
  const value: unknown = activity.value;
  let payload: string | undefined;
  if (typeof value === 'string') payload = value;
  else if (value && typeof value === 'object' && typeof (value as { payload?: unknown }).payload === 'string') payload = (value as { payload: string }).payload;
  // Web Chat sends a postBack whose value is a string as text, flagged in channelData.
  else if ((activity.channelData as { postBack?: unknown } | undefined)?.postBack === true && typeof activity.text === 'string') payload = activity.text;
  payload = payload === undefined ? undefined : clean(payload).trim();
  return payload && payload.length <= MAX_PAYLOAD_LENGTH ? payload : undefined;
}

function kindOf(contentType: string): AttachmentKind {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType.startsWith('video/')) return 'video';
  return 'file';
}

/**
 * The activity id in an inbound message's `externalId` (`<conversation id>:<activity id>`), when it is one of this
 * conversation's; undefined for an id from elsewhere (a message moved here from another conversation).
 */
export function activityIdOf(externalId: string, conversationId: string): string | undefined {
  const prefix = `${conversationId}:`;
  return externalId.startsWith(prefix) && externalId.length > prefix.length ? externalId.slice(prefix.length) : undefined;
}

/** A `message` activity as Parley's inbound message; undefined for other activities and empty messages. */
export function toInbound(activity: Partial<Activity>, now: Date): InboundMessage | undefined {
  if (activity.type !== 'message' || !activity.id) return undefined;
  const address = addressOf(activity);
  if (!address) return undefined;
  const inbound: InboundMessage = {
    address,
    // Activity ids are unique within a conversation only (Teams uses timestamps), so they are scoped to it.
    externalId: `${address.conversationId}:${activity.id}`,
    receivedAt: now,
  };
  const payload = payloadOf(activity);
  if (payload !== undefined) inbound.payload = payload;
  else if (typeof activity.text === 'string') {
    // In Teams channels the bot is addressed with an @mention that is part of the text.
    const text = clean(TurnContext.removeRecipientMention({ ...activity } as Activity) ?? activity.text).trim();
    if (text !== '') inbound.text = text.slice(0, MAX_TEXT_LENGTH);
  }
  const attachments: Attachment[] = (activity.attachments ?? []).flatMap((a) =>
    a.contentUrl && a.contentType && !a.contentType.startsWith('application/vnd.microsoft.')
      ? [{ kind: kindOf(a.contentType), url: a.contentUrl, mimeType: a.contentType, ...(a.name ? { name: a.name } : {}) }]
      : [],
  );
  if (attachments.length > 0) inbound.attachments = attachments;
  if (inbound.text === undefined && inbound.payload === undefined && !inbound.attachments) return undefined;
  if (activity.locale && localeTag.test(activity.locale)) inbound.locale = activity.locale;
  if (activity.from?.name) inbound.profile = { name: activity.from.name };
  return inbound;
}

/** A `conversationUpdate` that added the customer (not the bot): whom to greet. */
export function greetingOf(activity: Partial<Activity>): { address: Address; locale?: string; profile?: { name: string } } | undefined {
  if (activity.type !== 'conversationUpdate') return undefined;
  const botId = activity.recipient?.id;
  const user = (activity.membersAdded ?? []).find((member) => member.id && member.id !== botId);
  const address = user ? addressOf(activity, user.id) : undefined;
  if (!user || !address) return undefined;
  return {
    address,
    ...(activity.locale && localeTag.test(activity.locale) ? { locale: activity.locale } : {}),
    ...(user.name ? { profile: { name: user.name } } : {}),
  };
}

/** A `handoff.status` event from the channel: `accepted`, `failed` or `completed`, with an optional message. */
export function handoffStatusOf(activity: Partial<Activity>): { state: string; message?: string } | undefined {
  if (activity.type !== 'event' || activity.name !== 'handoff.status') return undefined;
  const value = activity.value as { state?: unknown; message?: unknown } | undefined;
  if (!value || typeof value.state !== 'string') return undefined;
  return { state: value.state.slice(0, 64), ...(typeof value.message === 'string' ? { message: value.message.slice(0, 500) } : {}) };
}
