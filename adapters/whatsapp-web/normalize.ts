import type { Address, Attachment, AttachmentKind, InboundMessage } from '../../src/core/message.ts';
import type { WhatsAppWebMessage } from './client.ts';

export const WHATSAPP_WEB_CHANNEL = 'whatsapp-web';
export const MAX_TEXT_LENGTH = 4096;

/**
 * One conversation per chat and connected number: the client id (one per number) is part of the conversation id,
 * so the same customer writing to two numbers has two conversations. The customer is their WhatsApp id.
 */
export function whatsappWebAddress(clientId: string, chatId: string, userId = chatId): Address {
  return { channel: WHATSAPP_WEB_CHANNEL, conversationId: `${clientId}:${chatId}`, userId };
}

/** The chat to send to, from an address made by `whatsappWebAddress`. */
export function chatOf(address: Address): string | undefined {
  const match = /^[A-Za-z0-9_-]+:([^:\s]+@(c\.us|lid|g\.us))$/.exec(address.conversationId);
  return match?.[1];
}

// PostgreSQL cannot store NUL, and no customer types C0 controls other than tab and newlines.
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').slice(0, MAX_TEXT_LENGTH);

const MEDIA_KINDS: Record<string, AttachmentKind> = {
  image: 'image', sticker: 'image', video: 'video', audio: 'audio', ptt: 'audio', document: 'file',
};

export type Ignored = 'from-me' | 'status' | 'group' | 'broadcast' | 'not-a-message' | 'empty';

export interface NormalizeOptions {
  clientId: string;
  /** Answer group chats (default: ignored). */
  groups: boolean;
  now: Date;
}

/** What the bot reads: typed text, a chosen option, or a description of media, which stays on WhatsApp (by reference). */
function content(message: WhatsAppWebMessage): Pick<InboundMessage, 'text' | 'payload' | 'attachments'> | undefined {
  const body = message.body ?? '';
  switch (message.type) {
    case 'chat':
      return body.trim() === '' ? undefined : { text: clean(body) };
    case 'buttons_response':
    case 'list_response': {
      const payload = message.selectedButtonId ?? message.selectedRowId;
      return { text: clean(body), ...(payload ? { payload: payload.slice(0, 256) } : {}) };
    }
    case 'location': {
      const place = message.location;
      if (!place) return { text: '[location]' };
      const label = [place.name, place.address ?? place.description].filter(Boolean).join(', ');
      const attachment: Attachment = { kind: 'location', url: `geo:${Number(place.latitude)},${Number(place.longitude)}` };
      if (label) attachment.name = clean(label);
      return { text: clean(`[location] ${label}`.trim()), attachments: [attachment] };
    }
    case 'vcard':
    case 'multi_vcard':
      return { text: '[contact card]' };
    default: {
      const kind = MEDIA_KINDS[message.type];
      if (!kind) return undefined;
      // Kept by reference (the message's id, from which whatsapp-web.js can download it), never downloaded here.
      const attachment: Attachment = { kind, url: `whatsapp-web-media:${message.id._serialized}` };
      const mimeType = message._data?.mimetype;
      if (mimeType) attachment.mimeType = mimeType.slice(0, 200);
      const filename = message._data?.filename;
      if (filename) attachment.name = clean(filename).slice(0, 200);
      if (body.trim()) attachment.caption = clean(body);
      const label = [filename, body].filter(Boolean).join(' ');
      return { text: clean(`[${message.type === 'ptt' ? 'voice message' : message.type}] ${label}`.trim()), attachments: [attachment] };
    }
  }
}

/**
 * A `message` event as Parley's inbound message, or why it is ignored: Parley's own messages, statuses, broadcast
 * lists, groups (unless enabled) and WhatsApp's system messages (notifications, revoked messages, calls).
 */
export function normalizeMessage(message: WhatsAppWebMessage, options: NormalizeOptions): InboundMessage | Ignored {
  if (message.fromMe) return 'from-me';
  if (message.isStatus || message.from === 'status@broadcast') return 'status';
  if (message.from.endsWith('@broadcast') || message.from.endsWith('@newsletter')) return 'broadcast';
  const group = message.from.endsWith('@g.us');
  if (group && !options.groups) return 'group';
  if (!/^[^:\s]+@(c\.us|lid|g\.us)$/.test(message.from) || !message.id?._serialized) return 'not-a-message';
  const body = content(message);
  if (!body) return 'empty';
  const author = group ? message.author : undefined;
  const inbound: InboundMessage = {
    address: whatsappWebAddress(options.clientId, message.from, author ?? message.from),
    externalId: message.id._serialized.slice(0, 256),
    receivedAt: message.timestamp ? new Date(message.timestamp * 1000) : options.now,
    ...body,
  };
  const name = message._data?.notifyName;
  if (name && !group) inbound.profile = { name: clean(name).slice(0, 200) };
  return inbound;
}

export type AckStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** whatsapp-web.js's MessageAck: -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played. */
export function ackStatus(ack: number): AckStatus | undefined {
  if (ack === -1) return 'failed';
  if (ack === 1) return 'sent';
  if (ack === 2) return 'delivered';
  if (ack === 3 || ack === 4) return 'read';
  return undefined;
}
