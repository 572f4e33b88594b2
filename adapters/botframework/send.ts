import { TurnContext, type Activity, type CardAction, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { DEFAULT_SEND_TIMEOUT_MS, type ChannelAdapter, type ChannelCapabilities, type RenderedMessage } from '../../src/core/channel.ts';
import { ParleyError } from '../../src/core/errors.ts';
import type { Address, Button } from '../../src/core/message.ts';
import { activityIdOf, BOTFRAMEWORK_CHANNEL, MAX_TEXT_LENGTH } from './normalize.ts';
import { serviceUrlAllowed, type ServiceUrlPolicy } from './verify.ts';

export const botFrameworkCapabilities: ChannelCapabilities = {
  buttons: true,
  // Web Chat and the Emulator show more, but past ten suggested actions no channel lays them out well.
  maxButtons: 10,
  maxTextLength: MAX_TEXT_LENGTH,
  markdown: false,
  media: true,
};

/** Where conversation references are kept (src/store/channel-references.ts). */
export interface ReferenceStore {
  save(channel: string, conversationId: string, reference: unknown): Promise<void>;
  get<T = unknown>(channel: string, conversationId: string): Promise<T | undefined>;
}

/**
 * Buttons as suggested actions (postBack, the payload as value: the channel shows the title, the bot receives the
 * payload). Teams shows suggested actions only in personal chats and drops postBack, so there they are a hero card
 * of messageBack buttons, which every Teams scope shows.
 */
function buttonsOf(buttons: Button[], reference: Partial<ConversationReference>): Partial<Activity> {
  if (buttons.length === 0) return {};
  if (reference.channelId === 'msteams') {
    const actions: CardAction[] = buttons.map((b) => ({ type: 'messageBack', title: b.title, text: b.title, displayText: b.title, value: { payload: b.payload } }));
    return { attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { buttons: actions } }] };
  }
  const actions: CardAction[] = buttons.map((b) => ({ type: 'postBack', title: b.title, value: b.payload }));
  return { suggestedActions: { to: reference.user?.id ? [reference.user.id] : [], actions } };
}

/** A rendered message as the activity sent to the customer. */
export function toActivity(message: RenderedMessage, reference: Partial<ConversationReference>): Partial<Activity> {
  const activity: Partial<Activity> = { type: 'message', text: message.text, textFormat: 'plain', ...buttonsOf(message.buttons, reference) };
  const media = message.attachments.flatMap((a) => (a.url ? [{ contentType: a.mimeType ?? 'application/octet-stream', contentUrl: a.url, ...(a.name ? { name: a.name } : {}) }] : []));
  if (media.length > 0) activity.attachments = [...(activity.attachments ?? []), ...media];
  return activity;
}

/** The HTTP status of a failed connector call, when it got that far. */
function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } } | null;
  const status = e?.statusCode ?? e?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A connector error as the outbox reads it: a 4xx (the conversation is gone, the bot was removed, the activity was
 * refused) will not get better, so it is CHANNEL_SEND_REJECTED; 408, 429, 5xx and network errors are retried.
 */
export function sendError(error: unknown): Error {
  const status = statusOf(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new ParleyError('CHANNEL_SEND_REJECTED', `Bot Framework refused the message (${status}): ${reason}`, { cause: error });
  }
  return new Error(`Bot Framework send failed${status ? ` (${status})` : ''}: ${reason}`, { cause: error });
}

export interface BotFrameworkSenderOptions {
  adapter: CloudAdapter;
  /** The bot's app id; '' without authentication. */
  appId: string;
  references: ReferenceStore;
  /** Where a stored reference's serviceUrl may point (checked again at send: references stored before a change). */
  policy: ServiceUrlPolicy;
  /** How long the channel service may take to accept one activity; 15 s unless given. */
  timeoutMs?: number;
}

/** The part of botframework-connector's ConnectorClient a send uses; its request options take an abort signal. */
interface ConversationsClient {
  conversations: {
    replyToActivity(conversationId: string, activityId: string, activity: Partial<Activity>, options: { abortSignal: AbortSignal }): Promise<{ id?: string }>;
    sendToConversation(conversationId: string, activity: Partial<Activity>, options: { abortSignal: AbortSignal }): Promise<{ id?: string }>;
  };
}

/**
 * Sends one activity in a turn as TurnContext.sendActivity would (addressed by the turn's conversation reference,
 * through the turn's connector client), but cut off at `deadline`: botbuilder's own send has no time limit, so a
 * channel service that takes the request and never answers would hold everything waiting behind it, and a caller
 * that gave up on it while the SDK went on retrying in the background would send it twice. Aborted, the SDK does
 * not retry; the caller does (the outbox, in order; the handoff queue).
 *
 * With `replyToId` (the customer's activity it answers) it is a reply to that activity; without, a new message in
 * the conversation (sendToConversation). The turn is a continuation whose own activity id no channel knows, so the
 * replyToId applyConversationReference would copy from it is never used.
 */
export async function sendActivityBefore(adapter: CloudAdapter, turn: TurnContext, activity: Partial<Activity>, deadline: AbortSignal, replyToId?: string): Promise<string | undefined> {
  const client = turn.turnState.get<ConversationsClient>(adapter.ConnectorClientKey);
  const addressed = TurnContext.applyConversationReference({ ...activity }, TurnContext.getConversationReference(turn.activity));
  if (replyToId) addressed.replyToId = replyToId;
  else delete addressed.replyToId;
  const conversationId = addressed.conversation!.id;
  const options = { abortSignal: deadline };
  const response = addressed.replyToId
    ? await client.conversations.replyToActivity(conversationId, addressed.replyToId, addressed, options)
    : await client.conversations.sendToConversation(conversationId, addressed, options);
  return response.id;
}

/** An error for a send cut off at its deadline, or the connector's error as the outbox reads it. */
export function sendFailure(error: unknown, deadline: AbortSignal, timeoutMs: number): Error {
  if (deadline.aborted) return new Error(`Bot Framework send: no answer from the channel service within ${timeoutMs} ms`, { cause: error });
  return sendError(error);
}

/**
 * Sends proactively, through the conversation's stored reference: the same path serves the bot's replies, replies an
 * agent writes an hour later, and deliveries retried after a restart. A reply to the customer's message goes as a
 * reply to that activity; everything else Parley sends goes into the conversation as a new message.
 */
export function createBotFrameworkSender(options: BotFrameworkSenderOptions): ChannelAdapter {
  const { adapter, appId, references, policy, timeoutMs = DEFAULT_SEND_TIMEOUT_MS } = options;
  return {
    id: BOTFRAMEWORK_CHANNEL,
    capabilities: botFrameworkCapabilities,
    async send(address: Address, message: RenderedMessage) {
      const reference = await references.get<Partial<ConversationReference>>(BOTFRAMEWORK_CHANNEL, address.conversationId);
      if (!reference) throw new ParleyError('CHANNEL_SEND_REJECTED', 'no Bot Framework conversation reference for this conversation');
      if (!reference.serviceUrl || !serviceUrlAllowed(reference.serviceUrl, policy)) {
        throw new ParleyError('CHANNEL_SEND_REJECTED', "the conversation's serviceUrl is not one Parley replies to (BOTFRAMEWORK_SERVICE_URL_HOSTS, BOTFRAMEWORK_EMULATOR)");
      }
      let sentId: string | undefined;
      const deadline = AbortSignal.timeout(timeoutMs);
      const replyToId = message.replyTo ? activityIdOf(message.replyTo, address.conversationId) : undefined;
      try {
        await adapter.continueConversationAsync(appId, reference, async (turn) => {
          sentId = await sendActivityBefore(adapter, turn, toActivity(message, reference), deadline, replyToId);
        });
      } catch (error) {
        throw sendFailure(error, deadline, timeoutMs);
      }
      // Scoped like inbound ids: channels number activities per conversation.
      return sentId ? { externalId: `${address.conversationId}:${sentId}` } : {};
    },
  };
}
