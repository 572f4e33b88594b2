import type { Address, Attachment, Button } from '../core/message.ts';
import type { ConversationState } from '../engine/types.ts';
import type { Conversation, ConversationMode, Customer, InboundStatus, OutboundStatus, StoredMessage } from './types.ts';

/** Row shapes as both drivers return them: uuid/text as string, bigint as string, jsonb parsed, timestamptz as Date. */
export interface CustomerRow {
  id: string;
  display_name: string | null;
  created_at: Date;
}

export interface ConversationRow {
  id: string;
  channel: string;
  external_id: string;
  customer_id: string;
  address: Address;
  mode: ConversationMode;
  state: ConversationState;
  version: number;
  locale: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  channel: string;
  external_id: string | null;
  text: string | null;
  payload: string | null;
  buttons: Button[];
  attachments: Attachment[];
  status: InboundStatus | OutboundStatus;
  in_reply_to: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  /** Added by migration 0004. */
  delivery_status?: string | null;
  /** Added by migration 0009. */
  reply_to_external_id?: string | null;
  /** Added by migration 0015. */
  sender_name?: string | null;
}

export function toCustomer(row: CustomerRow): Customer {
  return { id: row.id, displayName: row.display_name, createdAt: row.created_at };
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    channel: row.channel,
    externalId: row.external_id,
    customerId: row.customer_id,
    address: row.address,
    mode: row.mode,
    state: row.state,
    version: row.version,
    locale: row.locale,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: String(row.id),
    conversationId: row.conversation_id,
    direction: row.direction,
    channel: row.channel,
    externalId: row.external_id,
    text: row.text,
    payload: row.payload,
    buttons: row.buttons,
    attachments: row.attachments,
    status: row.status,
    inReplyTo: row.in_reply_to === null ? null : String(row.in_reply_to),
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    deliveryStatus: row.delivery_status ?? null,
    replyToExternalId: row.reply_to_external_id ?? null,
    senderName: row.sender_name ?? null,
  };
}

/** jsonb parameters are passed as JSON text: `pg` would otherwise send a JS array as a PostgreSQL array. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
