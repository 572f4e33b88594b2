import type { FlowSet } from '../engine/model.ts';
import { renderTemplate } from '../engine/template.ts';
import type { ConversationState } from '../engine/types.ts';
import type { Conversation, Store, StoredMessage } from '../store/types.ts';
import { HandoffContextV1, type HandoffContext, type HandoffTrigger, type KnowledgeRecord, type TranscriptLine } from './context.ts';
import type { HandoffStore } from './handoff-store.ts';

/** Lines of transcript a context carries at most (the newest). */
export const MAX_TRANSCRIPT_LINES = 500;

export interface ContextInput {
  id: string;
  conversation: Conversation;
  trigger: HandoffTrigger;
  reason: string;
  priority: number;
  queue: string;
  /** The state before the turn that handed over: where the customer was. */
  before: ConversationState;
  knowledge: KnowledgeRecord[];
  flows: FlowSet;
  now: Date;
}

/** The conversation's messages, oldest first, as transcript lines (agents' replies marked as theirs). */
export async function transcriptLines(store: Store, handoffs: HandoffStore, conversationId: string, limit = MAX_TRANSCRIPT_LINES): Promise<TranscriptLine[]> {
  const all: StoredMessage[] = [];
  for (let afterId: string | undefined; ; ) {
    const page = await store.transcript(conversationId, { limit: 1000, ...(afterId ? { afterId } : {}) });
    all.push(...page);
    if (page.length < 1000) break;
    afterId = page.at(-1)!.id;
  }
  const agents = await handoffs.agentMessageIds(conversationId);
  return all.slice(-limit).map((message) => toLine(message, agents));
}

export function toLine(message: StoredMessage, agentMessages: ReadonlySet<string>): TranscriptLine {
  const from = message.direction === 'in' ? 'customer' : agentMessages.has(message.id) ? 'agent' : 'bot';
  const line: TranscriptLine = { id: message.id, at: message.createdAt.toISOString(), from, text: message.text ?? '' };
  if (message.payload !== null) line.payload = message.payload;
  if (message.buttons.length > 0) line.buttons = message.buttons.map((button) => button.title);
  return line;
}

/** The flow whose `handoff` step gave this reason (the engine's handoff action does not name its flow). */
export function handoffFlow(flows: FlowSet, reason: string, vars: ConversationState['vars']): string | undefined {
  for (const flow of flows.flows.values()) {
    for (const step of flow.steps.values()) {
      if (step.kind === 'handoff' && renderTemplate(step.reason, vars) === reason) return flow.name;
    }
  }
  return undefined;
}

/** A few sentences for the agent, taken from what was said (no model): what they asked first, last, and why. */
export function extractiveSummary(lines: readonly TranscriptLine[], reason: string, vars: ConversationState['vars']): string {
  const asked = lines.filter((line) => line.from === 'customer' && line.payload === undefined && line.text.trim().length > 0);
  const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}…` : text);
  const parts: string[] = [];
  if (asked[0]) parts.push(`First asked: "${clip(asked[0].text)}".`);
  if (asked.length > 1) parts.push(`Last wrote: "${clip(asked.at(-1)!.text)}".`);
  if (asked.length === 0) parts.push('The customer only pressed buttons.');
  const known = Object.entries(vars).filter(([name, value]) => value !== null && value !== '' && !name.startsWith('_'));
  if (known.length > 0) parts.push(`Known: ${known.slice(0, 8).map(([name, value]) => `${name} = ${String(value)}`).join(', ')}.`);
  parts.push(`Handed over because: ${reason}.`);
  return parts.join(' ');
}

/** Builds and checks the context of a new handoff from what the store holds. */
export async function buildContext(store: Store, handoffs: HandoffStore, input: ContextInput): Promise<HandoffContext> {
  const { conversation, before } = input;
  const customer = await store.db.query<{ display_name: string | null }>('SELECT display_name FROM customers WHERE id = $1', [conversation.customerId]);
  const transcript = await transcriptLines(store, handoffs, conversation.id);
  const vars = conversation.state.vars;
  const flowName = before.awaiting?.flow ?? before.flow ?? handoffFlow(input.flows, input.reason, vars);
  const stepId = before.awaiting?.step ?? before.step;
  const locale = conversation.state.locale ?? conversation.locale ?? null;
  return HandoffContextV1.parse({
    version: 1,
    handoffId: input.id,
    conversationId: conversation.id,
    createdAt: input.now.toISOString(),
    trigger: input.trigger,
    reason: input.reason,
    priority: input.priority,
    queue: input.queue,
    customer: {
      id: conversation.customerId,
      name: customer.rows[0]?.display_name ?? null,
      locale,
      identities: [{ channel: conversation.address.channel, id: conversation.address.userId }],
      preferredChannel: conversation.address.channel,
    },
    channel: { id: conversation.channel, address: conversation.address },
    transcript,
    flow: { ...(flowName ? { flow: flowName } : {}), ...(stepId ? { step: stepId } : {}), vars },
    knowledge: input.knowledge,
    summary: extractiveSummary(transcript, input.reason, vars),
    waitingSince: input.now.toISOString(),
  });
}
