import type { webApi } from '@slack/bolt';
import type { ChannelAdapter, ChannelCapabilities, RenderedMessage, SendResult } from '../../src/core/channel.ts';
import { ParleyError } from '../../src/core/errors.ts';
import type { Address, Button } from '../../src/core/message.ts';
import { splitText } from '../../src/outbox/render.ts';
import { escapeMrkdwn } from './blocks.ts';
import { MAX_PAYLOAD_LENGTH, MAX_TEXT_LENGTH, parseConversation, REPLY_ACTION_PREFIX, SLACK_CHANNEL } from './normalize.ts';

/** Block Kit's limits: elements of one actions block, a button's text, a section's text. */
const MAX_BUTTONS = 25;
const MAX_BUTTON_TEXT = 75;
const MAX_SECTION_TEXT = 3000;

export const slackCapabilities: ChannelCapabilities = {
  buttons: true,
  maxButtons: MAX_BUTTONS,
  maxTextLength: MAX_TEXT_LENGTH,
  markdown: false,
  media: false,
};

/** Web API errors that mean "later" although Slack answered `ok: false`. */
const RETRYABLE_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Where a DM's replies go: the thread the customer last wrote in (null: the DM itself). Kept in channel_references. */
export interface DmThread {
  threadTs: string | null;
}

/** Where channel references are kept (src/store/channel-references.ts). */
export interface ReferenceStore {
  save(channel: string, conversationId: string, reference: unknown): Promise<void>;
  get<T = unknown>(channel: string, conversationId: string): Promise<T | undefined>;
}

/** Shortens to `max` characters without splitting a surrogate pair, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * The chat.postMessage arguments of one rendered message: its text (Slack's mrkdwn escaped, so it shows as written),
 * and with buttons, Block Kit sections and one actions block whose id names the conversation (normalize.ts reads it
 * back when a button is pressed).
 */
export function toSlackMessage(message: RenderedMessage, conversationId: string): { text: string; blocks?: unknown[] } {
  const text = escapeMrkdwn(message.text);
  if (message.buttons.length === 0) return { text };
  const sections = message.text.trim() === '' ? [] : splitText(text, MAX_SECTION_TEXT).map((part) => ({ type: 'section', text: { type: 'mrkdwn', text: part } }));
  const elements = message.buttons.slice(0, MAX_BUTTONS).map((button: Button, index) => ({
    type: 'button',
    action_id: `${REPLY_ACTION_PREFIX}${index}`,
    text: { type: 'plain_text', text: truncate(button.title, MAX_BUTTON_TEXT) || '…', emoji: true },
    value: button.payload.slice(0, MAX_PAYLOAD_LENGTH),
  }));
  return { text: text || message.buttons.map((b) => escapeMrkdwn(b.title)).join(' · '), blocks: [...sections, { type: 'actions', block_id: `parley:${conversationId}`, elements }] };
}

/**
 * A Web API failure as the outbox reads it: rate limits, 5xx, timeouts and Slack's own transient errors are plain
 * errors (retried with backoff); any other `ok: false` (channel_not_found, not_in_channel, is_archived, invalid_auth,
 * …) will not get better and is CHANNEL_SEND_REJECTED, so the message fails at once, visibly.
 */
export function sendError(error: unknown): Error {
  const e = error as { code?: string; data?: { error?: string }; statusCode?: number } | null;
  if (e?.code === 'slack_webapi_platform_error' && e.data?.error && !RETRYABLE_ERRORS.has(e.data.error)) {
    return new ParleyError('CHANNEL_SEND_REJECTED', `Slack refused the message: ${e.data.error}`, { cause: error });
  }
  const reason = e?.code === 'slack_webapi_platform_error' ? e.data?.error : error instanceof Error ? error.message : String(error);
  return new Error(`Slack chat.postMessage failed: ${reason ?? 'unknown error'}`, { cause: error });
}

export interface SlackSenderOptions {
  /** A client that does not retry itself: the outbox retries, with backoff, in order. */
  client: webApi.WebClient;
  references: ReferenceStore;
}

/** Sends a conversation's replies with chat.postMessage, in the conversation's thread (or the DM). */
export function createSlackSender(options: SlackSenderOptions): ChannelAdapter {
  const { client, references } = options;
  return {
    id: SLACK_CHANNEL,
    capabilities: slackCapabilities,
    async send(address: Address, message: RenderedMessage): Promise<SendResult> {
      const target = parseConversation(address.conversationId);
      if (!target) throw new ParleyError('CHANNEL_SEND_REJECTED', `not a Slack conversation: ${address.conversationId}`);
      if (message.text.trim() === '' && message.buttons.length === 0) return {};
      const threadTs = target.threadTs ?? (await references.get<DmThread>(SLACK_CHANNEL, address.conversationId))?.threadTs ?? undefined;
      let posted: webApi.ChatPostMessageResponse;
      try {
        posted = await client.chat.postMessage({
          channel: target.channel,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...toSlackMessage(message, address.conversationId),
          unfurl_links: false,
        } as webApi.ChatPostMessageArguments);
      } catch (error) {
        throw sendError(error);
      }
      return posted.ts ? { externalId: `${posted.channel ?? target.channel}:${posted.ts}` } : {};
    },
  };
}
