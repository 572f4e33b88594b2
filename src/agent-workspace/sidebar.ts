import type { Handoff } from '../handoff/handoff-rows.ts';
import type { CustomerRecord } from '../customers/customer-directory.ts';
import type { WorkspaceRepository } from './repository.ts';

/** What the workspace's sidebar shows beside a conversation (docs/agent-workspace.md). */
export interface Sidebar {
  customer: {
    id: string;
    name: string | null;
    /** Channels the customer has written from (their linked identities' channels), the conversation's first. */
    channels: string[];
    identities: Array<{ channel: string; identity: string; phone: string | null }>;
    language: string | null;
    preferredChannel: string;
    /** The consent in force per channel and purpose. */
    consent: Array<{ channel: string; purpose: string; state: string; since: string }>;
  };
  reason: string;
  summary: string;
  /** The flow's variables, named in words. */
  variables: Array<{ name: string; label: string; value: string }>;
  flow: string | null;
  /** What the knowledge base answered before the handoff. */
  knowledge: Array<{ question: string; articleTitle: string | null; answered: boolean; answer: string | null }>;
  /** The customer's earlier handoffs, newest first. */
  previous: Array<{ id: string; startedAt: string; status: string; summary: string; outcome: string | null; agentName: string | null }>;
}

/** `order_number` → "Order number"; `customerEmail` → "Customer email". */
export function labelOf(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.-]+/g, ' ').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

/** A variable's value as words: yes/no for booleans, "—" for nothing. */
export function valueInWords(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** The customer's record, from the customers module; undefined without it (the context's copy is shown then). */
export type CustomerRecordLookup = (customerId: string) => Promise<CustomerRecord | undefined>;

export async function buildSidebar(repository: WorkspaceRepository, customerRecord: CustomerRecordLookup, handoff: Handoff): Promise<Sidebar> {
  const { context } = handoff;
  const customerId = context.customer.id;
  const record = await customerRecord(customerId);
  const profile = record?.profile ?? null;
  const consent = record?.consent ?? [];
  const previous = await repository.previousHandoffs(customerId, handoff.id);
  const identities = profile?.identities ?? [];
  const channels = [...new Set([context.channel.id, ...identities.map((identity) => identity.channel)])];
  return {
    customer: {
      id: customerId,
      name: profile?.displayName ?? context.customer.name,
      channels,
      identities: identities.map((identity) => ({ channel: identity.channel, identity: identity.userId, phone: identity.phone })),
      language: context.customer.locale,
      preferredChannel: profile?.chosenChannel ?? profile?.lastChannel ?? context.customer.preferredChannel,
      consent: consent.map((event) => ({ channel: event.channel, purpose: event.purpose, state: event.state, since: event.at.toISOString() })),
    },
    reason: handoff.reason,
    summary: context.summary,
    variables: Object.entries(context.flow.vars).map(([name, value]) => ({ name, label: labelOf(name), value: valueInWords(value) })),
    flow: context.flow.flow ?? null,
    knowledge: context.knowledge.map((record) => ({
      question: record.question, articleTitle: record.results[0]?.title ?? null, answered: record.answer !== null, answer: record.answer,
    })),
    previous: previous.map((row) => ({
      id: row.id, startedAt: new Date(row.created_at).toISOString(), status: row.status, summary: row.context?.summary ?? '', outcome: row.outcome, agentName: row.agent_name,
    })),
  };
}
