import { DEFAULT_SEND_TIMEOUT_MS, type ChannelAdapter, type ChannelCapabilities, type RenderedMessage, type SendResult } from '../../src/core/channel.ts';
import { ParleyError } from '../../src/core/errors.ts';
import type { Address, Button } from '../../src/core/message.ts';
import { splitText } from '../../src/outbox/render.ts';
import type { WhatsAppTemplate } from './config.ts';
import { MAX_TEXT_LENGTH, parseAddress, WHATSAPP_CHANNEL } from './normalize.ts';

/** Meta's limits on interactive messages. */
const MAX_REPLY_BUTTONS = 3;
const MAX_LIST_ROWS = 10;
const MAX_BUTTON_TITLE = 20;
const MAX_ROW_TITLE = 24;
const MAX_INTERACTIVE_BODY = 1024;
/** Free-form messages may be sent only this long after the customer's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Why a reply waits, as agents read it (WHATSAPP_TEMPLATE unset). */
export const OUTSIDE_WINDOW =
  "waiting: outside WhatsApp's 24-hour window (no WHATSAPP_TEMPLATE to send instead) — sent when the customer writes again";

/** Up to 10 buttons are native (3 as reply buttons, 4–10 as a list); more become the outbox's numbered list. */
export const whatsappCapabilities: ChannelCapabilities = {
  buttons: true,
  maxButtons: MAX_LIST_ROWS,
  maxTextLength: MAX_TEXT_LENGTH,
  markdown: false,
  media: false,
  serviceWindow: true,
};

/** Graph API error codes that mean "later", even when they come with a 400 (rate and throughput limits). */
const RETRYABLE_CODES = new Set([4, 17, 32, 613, 80007, 130429, 131000, 131016, 131048, 131056, 133016]);

export interface WhatsAppSenderOptions {
  graphUrl: string;
  accessToken: string;
  /** Sent instead of a free-form message outside the 24-hour window; without it such a message waits (CHANNEL_SEND_DEFERRED). */
  template?: WhatsAppTemplate | undefined;
  /** When the customer last wrote in this conversation (null: never). */
  lastInboundAt: (address: Address) => Promise<Date | null>;
  now?: () => Date;
  timeoutMs?: number;
}

/** Shortens to `max` characters without splitting a surrogate pair, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** The Graph API body of one message: text, interactive reply buttons (≤ 3) or an interactive list (≤ 10). */
export function toGraphMessage(to: string, text: string, buttons: Button[]): Record<string, unknown> {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  if (buttons.length === 0) return { ...base, type: 'text', text: { body: text, preview_url: false } };
  const body = { text: text.trim() === '' ? '…' : text };
  if (buttons.length <= MAX_REPLY_BUTTONS) {
    const replies = buttons.map((b) => ({ type: 'reply', reply: { id: b.payload.slice(0, 256), title: truncate(b.title, MAX_BUTTON_TITLE) } }));
    return { ...base, type: 'interactive', interactive: { type: 'button', body, action: { buttons: replies } } };
  }
  const rows = buttons.slice(0, MAX_LIST_ROWS).map((b) => ({ id: b.payload.slice(0, 200), title: truncate(b.title, MAX_ROW_TITLE) }));
  return {
    ...base,
    type: 'interactive',
    interactive: { type: 'list', body, action: { button: 'Options', sections: [{ title: 'Options', rows }] } },
  };
}

/**
 * Sends through the Cloud API from the business number that received the conversation. Failures the Graph API
 * calls permanent (a 4xx that is not a rate limit) are CHANNEL_SEND_REJECTED, so the outbox marks the message
 * failed at once; 5xx, 429 and network errors are plain errors, which the outbox retries.
 */
export function createWhatsAppSender(options: WhatsAppSenderOptions): ChannelAdapter {
  const now = options.now ?? (() => new Date());

  async function post(phoneNumberId: string, body: Record<string, unknown>): Promise<SendResult> {
    let response: Response;
    try {
      response = await fetch(`${options.graphUrl}/${phoneNumberId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`WhatsApp Graph API unreachable: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const json = (await response.json().catch(() => ({}))) as {
      messages?: { id?: string }[];
      error?: { code?: number; message?: string; error_data?: { details?: string } };
    };
    if (response.ok) {
      const id = json.messages?.[0]?.id;
      return id ? { externalId: id } : {};
    }
    const code = json.error?.code;
    const reason = `WhatsApp refused the message (HTTP ${response.status}${code !== undefined ? `, code ${code}` : ''}: ${
      json.error?.error_data?.details ?? json.error?.message ?? response.statusText
    })`;
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 408;
    if (permanent && (code === undefined || !RETRYABLE_CODES.has(code))) throw new ParleyError('CHANNEL_SEND_REJECTED', reason);
    throw new Error(reason);
  }

  return {
    id: WHATSAPP_CHANNEL,
    capabilities: whatsappCapabilities,
    async send(address: Address, message: RenderedMessage): Promise<SendResult> {
      const target = parseAddress(address);
      if (!target) throw new ParleyError('CHANNEL_SEND_REJECTED', `not a WhatsApp Cloud API address: ${address.conversationId}`);
      const last = await options.lastInboundAt(address);
      if (!last || now().getTime() - last.getTime() > SERVICE_WINDOW_MS) {
        if (!options.template) throw new ParleyError('CHANNEL_SEND_DEFERRED', OUTSIDE_WINDOW);
        // One template per message: the parts a long message was split into are not sent again.
        if (message.id.includes('.')) return {};
        const { name, language } = options.template;
        return post(target.phoneNumberId, {
          messaging_product: 'whatsapp',
          to: target.waId,
          type: 'template',
          template: { name, language: { code: language } },
        });
      }
      // Interactive bodies are shorter than text messages: the text before the buttons goes first, on its own.
      let text = message.text;
      let first: SendResult | undefined;
      if (message.buttons.length > 0 && text.length > MAX_INTERACTIVE_BODY) {
        const parts = splitText(text, MAX_INTERACTIVE_BODY);
        text = parts.pop() ?? '';
        for (const part of parts) {
          const sent = await post(target.phoneNumberId, toGraphMessage(target.waId, part, []));
          first ??= sent;
        }
      }
      if (text.trim() === '' && message.buttons.length === 0) return first ?? {};
      const result = await post(target.phoneNumberId, toGraphMessage(target.waId, text, message.buttons));
      return first ?? result;
    },
  };
}
