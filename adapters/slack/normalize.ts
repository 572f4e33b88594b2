/**
 * Slack events as Parley's normalized messages (the customer side of the Slack app). Conversations are named so
 * that a reply finds its way back: a DM is `D…` (one conversation per DM channel), a channel conversation is the
 * thread of the @mention, `C…:<thread ts>`.
 */
import type { Address, Attachment, AttachmentKind, InboundMessage } from '../../src/core/message.ts';

export const SLACK_CHANNEL = 'slack';
/** Slack truncates a message's text past 40,000 characters and advises 4,000; longer text is split by the outbox. */
export const MAX_TEXT_LENGTH = 4000;
/** Action ids of the buttons Parley sends customers: `parley_reply_<n>` (unique within the message, as Slack requires). */
export const REPLY_ACTION_PREFIX = 'parley_reply_';
/** Slack's limit on a button's value, which carries the payload. */
export const MAX_PAYLOAD_LENGTH = 2000;

/** The fields of a Slack `message` / `app_mention` event that Parley reads. */
export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  team?: string;
  user_team?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  files?: Array<{ name?: string; mimetype?: string; url_private?: string }>;
  user_profile?: { display_name?: string; real_name?: string };
}

/** Subtypes that are still a person writing; every other subtype (edits, deletions, joins, bots) is not. */
const PERSON_SUBTYPES = new Set(['file_share', 'thread_broadcast']);

/** A person wrote it: not a bot (ours or another), not an edit, deletion or channel notice. */
export function isPersonMessage(event: SlackMessageEvent): boolean {
  return (event.subtype === undefined || PERSON_SUBTYPES.has(event.subtype)) && event.bot_id === undefined && typeof event.user === 'string' && typeof event.ts === 'string' && typeof event.channel === 'string';
}

export const isDirectMessage = (event: SlackMessageEvent) => event.channel_type === 'im';

/** The conversation of an event: the DM channel, or the thread in a channel. */
export function conversationOf(event: SlackMessageEvent): string {
  return isDirectMessage(event) ? String(event.channel) : `${String(event.channel)}:${event.thread_ts ?? String(event.ts)}`;
}

/** Where a conversation's replies go; for a DM the thread is kept beside the conversation (see send.ts). */
export function parseConversation(conversationId: string): { channel: string; threadTs?: string } | undefined {
  const match = /^([A-Z0-9]+)(?::(\d+\.\d+))?$/.exec(conversationId);
  if (!match?.[1]) return undefined;
  return match[2] ? { channel: match[1], threadTs: match[2] } : { channel: match[1] };
}

// PostgreSQL cannot store NUL, and no one types C0 controls.
const clean = (value: string) => value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** Slack's text as typed: the bot's own @mention removed, links as `label (url)`, names of people and channels, &amp; &lt; &gt; decoded. */
export function plainText(text: string, botUserId: string | undefined, leadingMention: boolean): string {
  let result = botUserId ? text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), '') : text;
  // Without the bot's id (an event without `authorizations`), an app_mention's first mention is the bot's.
  if (!botUserId && leadingMention) result = result.replace(/^\s*<@[UW][A-Z0-9]+(\|[^>]*)?>/, '');
  result = result
    .replace(/<([a-z][a-z0-9+.-]*:[^<>|]+)\|([^<>]+)>/gi, (_match, url: string, label: string) =>
      (url === label || url.replace(/^[a-z]+:(\/\/)?/i, '') === label ? label : `${label} (${url})`))
    .replace(/<[@#!][^<>|]*\|([^<>]+)>/g, '$1')
    .replace(/<([^@#!<>|][^<>|]*)>/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return clean(result).replace(/[ \t]+/g, ' ').trim();
}

function kindOf(mimeType: string | undefined): AttachmentKind {
  if (mimeType?.startsWith('image/')) return 'image';
  if (mimeType?.startsWith('audio/')) return 'audio';
  if (mimeType?.startsWith('video/')) return 'video';
  return 'file';
}

/** The customer: Slack user ids are per workspace, so the workspace is part of it (`T…:U…`). */
export function userOf(event: { user?: string; user_team?: string; team?: string }, teamId: string | undefined): string {
  return `${event.user_team ?? event.team ?? teamId ?? '-'}:${String(event.user)}`;
}

/** A person's message (a DM, an @mention, a reply in a conversation's thread) as an inbound message; undefined when empty. */
export function toInbound(event: SlackMessageEvent, context: { teamId: string | undefined; botUserId: string | undefined; now: Date }): InboundMessage | undefined {
  if (!isPersonMessage(event)) return undefined;
  const address: Address = { channel: SLACK_CHANNEL, conversationId: conversationOf(event), userId: userOf(event, context.teamId) };
  // Channel + ts is Slack's id of a message; the same message arrives as `message` and `app_mention` and on retries.
  const inbound: InboundMessage = { address, externalId: `${String(event.channel)}:${String(event.ts)}`, receivedAt: context.now };
  const text = plainText(event.text ?? '', context.botUserId, event.type === 'app_mention');
  if (text !== '') inbound.text = text.slice(0, MAX_TEXT_LENGTH);
  const attachments: Attachment[] = (event.files ?? []).flatMap((file) =>
    file.url_private ? [{ kind: kindOf(file.mimetype), url: file.url_private, ...(file.mimetype ? { mimeType: file.mimetype } : {}), ...(file.name ? { name: file.name } : {}) }] : [],
  );
  if (attachments.length > 0) inbound.attachments = attachments;
  if (inbound.text === undefined && !inbound.attachments) return undefined;
  const name = event.user_profile?.display_name || event.user_profile?.real_name;
  if (name) inbound.profile = { name };
  return inbound;
}

/** The fields of a `block_actions` payload that Parley reads. */
export interface SlackButtonPress {
  user: { id: string; team_id?: string; name?: string };
  team?: { id: string } | null;
  channel?: { id: string };
  container?: { message_ts?: string; channel_id?: string };
  message?: { ts?: string; thread_ts?: string; text?: string; blocks?: unknown[] };
}

/** A press on one of Parley's reply buttons: its payload, with the button's title as text. */
export function pressToInbound(
  body: SlackButtonPress,
  action: { action_id: string; block_id: string; value?: string; text?: { text?: string } },
  now: Date,
): InboundMessage | undefined {
  const channel = body.channel?.id ?? body.container?.channel_id;
  const messageTs = body.message?.ts ?? body.container?.message_ts;
  const payload = clean(action.value ?? '').trim();
  // The actions block's id names the conversation the buttons were sent to (send.ts).
  const conversationId = action.block_id.startsWith('parley:') ? action.block_id.slice('parley:'.length) : '';
  if (!channel || !messageTs || payload === '' || payload.length > MAX_PAYLOAD_LENGTH || !parseConversation(conversationId)) return undefined;
  const inbound: InboundMessage = {
    address: { channel: SLACK_CHANNEL, conversationId, userId: `${body.user.team_id ?? body.team?.id ?? '-'}:${body.user.id}` },
    // One press per button of a message: a double click is answered once.
    externalId: `${channel}:${messageTs}:${action.action_id}`,
    payload,
    receivedAt: now,
  };
  const title = clean(action.text?.text ?? '').trim();
  if (title) inbound.text = title;
  return inbound;
}
