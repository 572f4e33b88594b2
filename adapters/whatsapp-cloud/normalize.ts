import { z } from 'zod';
import type { Address, Attachment, AttachmentKind, InboundMessage } from '../../src/core/message.ts';

export const WHATSAPP_CHANNEL = 'whatsapp';
export const MAX_TEXT_LENGTH = 4096;

/**
 * The webhook payload, as far as Parley reads it. Objects are not strict: Meta adds fields over time, and a field
 * we do not know must not turn a customer's message into a 400.
 */
const Media = z.object({ id: z.string().min(1), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() });

const WaMessage = z.object({
  id: z.string().min(1).max(256),
  from: z.string().regex(/^\d{1,20}$/, 'must be a wa_id (digits)'),
  timestamp: z.string().regex(/^\d+$/).optional(),
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string() }).optional(),
    })
    .optional(),
  /** A quick-reply button of a template message. */
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  image: Media.optional(),
  audio: Media.optional(),
  video: Media.optional(),
  document: Media.optional(),
  sticker: Media.optional(),
  location: z
    .object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() })
    .optional(),
  reaction: z.object({ emoji: z.string().optional() }).optional(),
});

const WaStatus = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  timestamp: z.string().regex(/^\d+$/).optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
});

const ChangeValue = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({ phone_number_id: z.string().regex(/^\d{1,32}$/, 'must be digits') }).optional(),
  contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() })).optional(),
  messages: z.array(WaMessage).optional(),
  statuses: z.array(WaStatus).optional(),
});

export const WebhookBody = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({ changes: z.array(z.object({ field: z.string(), value: ChangeValue })) })),
});
export type WebhookBody = z.infer<typeof WebhookBody>;
type WaMessage = z.infer<typeof WaMessage>;

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';
const DELIVERY_STATUSES: readonly string[] = ['sent', 'delivered', 'read', 'failed'];

/** A status update of a message Parley sent: `externalId` is the wamid the Graph API returned. */
export interface StatusUpdate {
  externalId: string;
  status: DeliveryStatus;
  at: Date;
  /** For `failed`: Meta's reason, as agents should read it. */
  error?: string;
}

export interface WebhookEvents {
  messages: InboundMessage[];
  statuses: StatusUpdate[];
}

/**
 * One conversation per customer and business number: replies go out from the number the customer wrote to, so the
 * number's id is part of the conversation id. The customer is their wa_id (E.164 without `+`) on every number.
 */
export function whatsappAddress(phoneNumberId: string, waId: string): Address {
  return { channel: WHATSAPP_CHANNEL, conversationId: `${phoneNumberId}:${waId}`, userId: waId };
}

/** The business number and the customer's wa_id of an address made by `whatsappAddress`. */
export function parseAddress(address: Address): { phoneNumberId: string; waId: string } | undefined {
  const match = /^(\d+):(\d+)$/.exec(address.conversationId);
  return match ? { phoneNumberId: match[1]!, waId: match[2]! } : undefined;
}

// PostgreSQL cannot store NUL, and no customer types C0 controls other than tab and newlines.
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').slice(0, MAX_TEXT_LENGTH);

const toDate = (timestamp: string | undefined, fallback: Date) => (timestamp ? new Date(Number(timestamp) * 1000) : fallback);

const MEDIA_KINDS: Record<string, AttachmentKind> = { image: 'image', sticker: 'image', audio: 'audio', video: 'video', document: 'file' };

/** What the bot reads for one message: typed text, a pressed button, or a description of media (kept by reference). */
function content(message: WaMessage): Pick<InboundMessage, 'text' | 'payload' | 'attachments'> | undefined {
  const media = (message as Record<string, unknown>)[message.type] as z.infer<typeof Media> | undefined;
  switch (message.type) {
    case 'text':
      return message.text && message.text.body.trim() !== '' ? { text: clean(message.text.body) } : undefined;
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return reply ? { text: clean(reply.title), payload: reply.id.slice(0, 256) } : undefined;
    }
    case 'button':
      return message.button ? { text: clean(message.button.text), payload: (message.button.payload ?? message.button.text).slice(0, 256) } : undefined;
    case 'reaction':
      // Removing a reaction sends an empty emoji: nothing to answer.
      return message.reaction?.emoji ? { text: `[reaction ${clean(message.reaction.emoji)}]` } : undefined;
    case 'location': {
      const place = message.location;
      if (!place) return { text: '[location]' };
      const label = [place.name, place.address].filter(Boolean).join(', ');
      const attachment: Attachment = { kind: 'location', url: `geo:${place.latitude},${place.longitude}` };
      if (label) attachment.name = clean(label);
      return { text: clean(`[location] ${label}`.trim()), attachments: [attachment] };
    }
    default: {
      const kind = MEDIA_KINDS[message.type];
      if (!kind || !media?.id) return { text: `[${message.type.replace(/[^a-z_]/g, '').slice(0, 32) || 'message'}]` };
      // Media is kept by reference (the Graph API's media id), never downloaded here.
      const attachment: Attachment = { kind, url: `whatsapp-media:${media.id}` };
      if (media.mime_type) attachment.mimeType = media.mime_type;
      if (media.filename) attachment.name = clean(media.filename);
      if (media.caption) attachment.caption = clean(media.caption);
      const label = [media.filename, media.caption].filter(Boolean).join(' ');
      return { text: clean(`[${message.type}] ${label}`.trim()), attachments: [attachment] };
    }
  }
}

/** Turns a verified, parsed webhook body into Parley's inbound messages and status updates, in delivery order. */
export function normalizeWebhook(body: WebhookBody, now: Date): WebhookEvents {
  const events: WebhookEvents = { messages: [], statuses: [] };
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = change.value;
      const phoneNumberId = value.metadata?.phone_number_id;
      for (const message of value.messages ?? []) {
        if (!phoneNumberId) continue;
        const body = content(message);
        if (!body) continue;
        const name = value.contacts?.find((contact) => contact.wa_id === message.from)?.profile?.name;
        const inbound: InboundMessage = {
          address: whatsappAddress(phoneNumberId, message.from),
          externalId: message.id,
          receivedAt: toDate(message.timestamp, now),
          ...body,
        };
        if (name) inbound.profile = { name: clean(name).slice(0, 200) };
        events.messages.push(inbound);
      }
      for (const status of value.statuses ?? []) {
        if (!DELIVERY_STATUSES.includes(status.status)) continue;
        const update: StatusUpdate = { externalId: status.id, status: status.status as DeliveryStatus, at: toDate(status.timestamp, now) };
        const error = status.errors?.[0];
        if (error) update.error = [error.code, error.title ?? error.message].filter((part) => part !== undefined).join(': ');
        events.statuses.push(update);
      }
    }
  }
  return events;
}
