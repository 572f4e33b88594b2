/** Slack Block Kit for a handoff: its context, and Claim / Resolve buttons while it is open. */
import type { Handoff } from '../../src/handoff/handoff-rows.ts';

export const CLAIM_ACTION = 'parley_handoff_claim';
export const RESOLVE_ACTION = 'parley_handoff_resolve';

/** Slack's mrkdwn treats & < > as markup: customer text is escaped so it shows as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One line on the handoff, as plain text (the message's header block). */
export function headline(handoff: Handoff): string {
  const who = handoff.context.customer.name ?? 'A customer';
  return `${who} on ${handoff.context.channel.id} needs a person: ${handoff.reason}`;
}

/**
 * The message's top-level `text` (notifications, screen readers): Slack parses it as mrkdwn, so the customer's name
 * and the reason (which may quote the customer) are escaped; unescaped, a name like `<!channel>` notified everyone
 * in the agent channel and `<https://…|label>` became a link.
 */
export function fallbackText(handoff: Handoff): string {
  return escapeMrkdwn(headline(handoff));
}

function statusLine(handoff: Handoff): string {
  if (handoff.status === 'waiting') return `:hourglass: Waiting since ${handoff.context.waitingSince}`;
  if (handoff.status === 'claimed') return `:raising_hand: Claimed by ${escapeMrkdwn(handoff.agentName ?? 'an agent')}`;
  return `:white_check_mark: Resolved by ${escapeMrkdwn(handoff.agentName ?? 'an agent')}: ${escapeMrkdwn(handoff.outcome ?? '')}`;
}

export function handoffBlocks(handoff: Handoff): unknown[] {
  const { context } = handoff;
  const flow = [context.flow.flow, context.flow.step].filter(Boolean).join(' / ') || '—';
  const vars = Object.entries(context.flow.vars).map(([k, v]) => `${k} = ${String(v)}`).join(', ') || '—';
  const recent = context.transcript.slice(-8).map((line) => `*${line.from}:* ${escapeMrkdwn(clip(line.text, 300))}`).join('\n') || '—';
  const kb = context.knowledge.map((k) => `“${escapeMrkdwn(clip(k.question, 120))}” → ${k.answer === null ? 'declined' : 'answered'} (${k.confidence.toFixed(2)}; ${k.results.map((r) => escapeMrkdwn(r.title)).join(', ') || 'no articles'})`).join('\n');
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(headline(handoff), 150) } },
    { type: 'section', fields: [
      { type: 'mrkdwn', text: `*Why:* ${escapeMrkdwn(handoff.reason)} (${handoff.trigger})` },
      { type: 'mrkdwn', text: `*Priority:* ${handoff.priority} · queue ${escapeMrkdwn(handoff.queue)}` },
      { type: 'mrkdwn', text: `*Flow:* ${escapeMrkdwn(flow)}` },
      { type: 'mrkdwn', text: `*Known:* ${escapeMrkdwn(clip(vars, 500))}` },
    ] },
    { type: 'section', text: { type: 'mrkdwn', text: `*Summary${context.summarySource === 'model' ? ' (written by the model)' : ''}:* ${escapeMrkdwn(clip(context.summary, 1500))}` } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*Conversation:*\n${recent}`, 2900) } },
  ];
  if (kb) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Knowledge base:*\n${kb}`, 2900) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${statusLine(handoff)} · reply in this thread to answer the customer` }] });
  if (handoff.status !== 'resolved') {
    blocks.push({ type: 'actions', elements: [
      ...(handoff.status === 'waiting' ? [{ type: 'button', action_id: CLAIM_ACTION, text: { type: 'plain_text', text: 'Claim' }, style: 'primary', value: handoff.id }] : []),
      { type: 'button', action_id: RESOLVE_ACTION, text: { type: 'plain_text', text: 'Resolve' }, value: handoff.id },
    ] });
  }
  return blocks;
}
