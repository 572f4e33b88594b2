import type { FlowSet } from '../engine/model.ts';
import { renderTemplate } from '../engine/template.ts';
import type { ConversationState } from '../engine/types.ts';
import type { Conversation, Store, StoredMessage } from '../store/types.ts';
import { HandoffContextV2, type HandoffContext, type HandoffTrigger, type KnowledgeRecord, type TranscriptLine } from './context.ts';
import type { HandoffStore } from './handoff-store.ts';
import { summarize, type SummaryOptions } from './summary.ts';

/** What a handoff's context says of the customer, from the customers module (its `customerSummary` service). */
export interface ContextCustomer {
  displayName: string | null;
  /** The channel the customer chose. */
  chosenChannel: string | null;
  lastChannel: string | null;
}

/** The customer a context is about; null when the customers module is off or has no such customer. */
export type CustomerLookup = (customerId: string) => Promise<ContextCustomer | null>;

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
  /** The model that writes the summary, and its deadline; absent: the summary is extractive. */
  summary?: SummaryOptions;
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
  const elsewhere = await handoffs.agentRepliesElsewhere(conversationId);
  const moved = new Set(elsewhere.map((message) => message.id));
  const lines = elsewhere.length === 0 ? all : [...all, ...elsewhere].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
  return lines.slice(-limit).map((message) => toLine(message, agents, moved.has(message.id)));
}

export function toLine(message: StoredMessage, agentMessages: ReadonlySet<string>, onOtherChannel = false): TranscriptLine {
  const from = message.direction === 'in' ? 'customer' : agentMessages.has(message.id) ? 'agent' : 'bot';
  const line: TranscriptLine = { id: message.id, at: message.createdAt.toISOString(), from, text: message.text ?? '' };
  if (onOtherChannel) line.channel = message.channel;
  if (message.payload !== null) line.payload = message.payload;
  if (message.buttons.length > 0) line.buttons = message.buttons.map((button) => button.title);
  if (message.attachments.length > 0) {
    line.attachments = message.attachments.map(({ kind, name, mimeType, caption, url }) => ({
      kind, ...(name ? { name } : {}), ...(mimeType ? { mimeType } : {}), ...(caption ? { caption } : {}), ...(url && /^https?:\/\//i.test(url) ? { url } : {}),
    }));
  }
  return line;
}

/** The flow the customer was in when handed over with this reason: where they waited, else where the step is. */
export function flowOfHandoff(before: ConversationState, flows: FlowSet, reason: string, vars: ConversationState['vars']): string | undefined {
  return before.awaiting?.flow ?? before.flow ?? handoffFlow(flows, reason, vars);
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

/** Builds and checks the context of a new handoff from what the store holds. */
export async function buildContext(store: Store, handoffs: HandoffStore, customerOf: CustomerLookup, input: ContextInput): Promise<HandoffContext> {
  const { conversation, before } = input;
  const customer = await customerOf(conversation.customerId);
  const transcript = await transcriptLines(store, handoffs, conversation.id);
  // Variables whose name starts with `_` are the flows' and Parley's own bookkeeping, not something the agent needs.
  const vars = Object.fromEntries(Object.entries(conversation.state.vars).filter(([name]) => !name.startsWith('_')));
  const flowName = flowOfHandoff(before, input.flows, input.reason, vars);
  const stepId = before.awaiting?.step ?? before.step;
  const locale = conversation.state.locale ?? conversation.locale ?? null;
  const summary = await summarize({ transcript, reason: input.reason, vars }, input.summary ?? { timeoutMs: 0 });
  return HandoffContextV2.parse({
    version: 2,
    handoffId: input.id,
    conversationId: conversation.id,
    createdAt: input.now.toISOString(),
    trigger: input.trigger,
    reason: input.reason,
    priority: input.priority,
    queue: input.queue,
    customer: {
      id: conversation.customerId,
      name: customer?.displayName ?? null,
      locale,
      // The channel they chose, else the one they last used (docs/customers.md): where a late answer reaches them.
      preferredChannel: customer?.chosenChannel ?? customer?.lastChannel ?? conversation.address.channel,
    },
    channel: { id: conversation.channel },
    transcript,
    flow: { ...(flowName ? { flow: flowName } : {}), ...(stepId ? { step: stepId } : {}), vars },
    knowledge: input.knowledge,
    summary: summary.text,
    summarySource: summary.source,
    waitingSince: input.now.toISOString(),
  });
}
