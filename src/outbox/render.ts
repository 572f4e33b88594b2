import type { ChannelCapabilities, RenderedMessage } from '../core/channel.ts';
import type { Attachment, Button } from '../core/message.ts';

export interface Renderable {
  id: string;
  text: string | null;
  buttons: Button[];
  attachments: Attachment[];
  /** The channel's id of the customer's message this answers (StoredMessage.replyToExternalId). */
  replyToExternalId?: string | null;
  /** Who wrote it, when a person did (StoredMessage.senderName). */
  senderName?: string | null;
}

/** Buttons as a numbered list, for channels that cannot show them; the engine maps a typed "2" back to a button. */
function numberedList(buttons: Button[]): string {
  return buttons.map((button, index) => `${index + 1}. ${button.title}`).join('\n');
}

/** Splits text into chunks of at most `max` characters, preferring paragraph, then sentence, then word breaks. */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut =
      lastBreak(window, /\n\s*\n/g, max) ?? lastBreak(window, /[.!?…](\s)/g, max) ?? lastBreak(window, /\s/g, max) ?? max;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}

function lastBreak(window: string, pattern: RegExp, max: number): number | undefined {
  let best: number | undefined;
  for (const match of window.matchAll(pattern)) {
    // Cut after the punctuation, keep the whitespace for trimming; ignore breaks too early to be useful.
    const end = match.index + match[0].length - (match[1]?.length ?? 0);
    if (end <= max && end > max / 3) best = end;
  }
  return best;
}

/**
 * Renders one outbound message for a channel: buttons the channel cannot show become a numbered list, text too
 * long for one message is split, and attachments a channel without media cannot carry become links in the text.
 */
export function renderForChannel(message: Renderable, capabilities: ChannelCapabilities): RenderedMessage[] {
  let text = message.text ?? '';
  let buttons = message.buttons;
  let attachments = message.attachments;
  if (buttons.length > 0 && (!capabilities.buttons || buttons.length > capabilities.maxButtons)) {
    text = `${text}\n\n${numberedList(buttons)}`.trim();
    buttons = [];
  }
  if (attachments.length > 0 && !capabilities.media) {
    const links = attachments.map((a) => [a.caption ?? a.name ?? a.kind, a.url].filter(Boolean).join(': '));
    text = [text, ...links].filter(Boolean).join('\n');
    attachments = [];
  }
  const parts = splitText(text, capabilities.maxTextLength);
  return parts.map((part, index) => ({
    id: index === 0 ? message.id : `${message.id}.${index + 1}`,
    text: part,
    buttons: index === parts.length - 1 ? buttons : [],
    attachments: index === parts.length - 1 ? attachments : [],
    // Every part answers the same message.
    ...(message.replyToExternalId ? { replyTo: message.replyToExternalId } : {}),
    ...(message.senderName ? { senderName: message.senderName } : {}),
  }));
}
