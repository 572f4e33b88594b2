/**
 * The agent API as the workspace calls it (/agent/api/…, adapters/agent-console/routes.ts and what issue 17
 * adds to it). Every answer is turned into the page's own shapes here, so the components never see
 * which server version answered: the list and the detail as they were before the workspace (`handoffs`, `context`,
 * lines `from` someone) and as the workspace's contract has them (`customer`, `sidebar`, lines of a `kind`). An
 * endpoint the server does not have yet answers 404; those calls return `undefined` and the page leaves the feature
 * out or says it is not available.
 */
import type { HandoffView } from '../../../adapters/agent-console/handoff-view.ts';
import type { HandoffContext, TranscriptLine } from '../../handoff/context.ts';
import { channelName, variableLabel, variableValue } from './format.ts';

export interface Me {
  id: string;
  name: string;
  admin: boolean;
  queues: string[];
  /** Whether automatic assignment may give this agent conversations; undefined when the server does not say. */
  available?: boolean;
}

/** How many conversations each tab holds, as the server counts them over the agent's queues. */
export interface TabCounts {
  waiting: number;
  mine: number;
  open: number;
}

export type Tab = 'waiting' | 'mine' | 'open' | 'resolved';
export type Status = 'waiting' | 'claimed' | 'resolved';

export interface Person {
  id: string;
  name: string;
}

/** A conversation as the list shows it. */
export interface Conversation {
  id: string;
  customerName: string | null;
  channel: string;
  language: string | null;
  queue: string;
  status: Status;
  assignee: Person | null;
  waitingSince: string;
  lastMessageAt: string | null;
  /** Unread lines for this agent as the server counts them; null when it does not (the page counts then). */
  unread: number | null;
  preview: string;
  reason: string;
}

export type LineKind = 'customer' | 'bot' | 'agent' | 'note' | 'notice';
export type DeliveryState = 'sending' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'waiting';

export interface Line {
  id: string;
  kind: LineKind;
  text: string;
  at: string;
  by?: Person;
  delivery?: { state: DeliveryState; reason?: string };
  /** The button the customer pressed. */
  pressed?: string;
  buttons?: string[];
  /** The channel it went out on, when not the conversation's own. */
  channel?: string;
  /** Files and media sent with it, by reference (a link only when it is a web address). */
  attachments?: Attachment[];
}

export interface Attachment {
  kind: string;
  name?: string;
  mimeType?: string;
  caption?: string;
  url?: string;
}

export interface Sidebar {
  customer: {
    id: string | null;
    name: string | null;
    channels: string[];
    identities: string[];
    language: string | null;
    preferredChannel: string | null;
    consent: string | null;
  };
  reason: string;
  summary: string;
  summaryByModel: boolean;
  flow: string | null;
  variables: { name: string; label: string; value: string }[];
  knowledge: { question: string; articleTitle: string | null; answered: boolean }[];
  previous: { id: string; startedAt: string; status: string; summary: string }[];
}

export interface Detail {
  conversation: Conversation;
  transcript: Line[];
  sidebar: Sidebar;
  /** Place in the queue while waiting. */
  position: number | null;
}

export interface Suggestion {
  key: string;
  title: string;
  snippet: string;
  text: string;
}

export interface Canned {
  id: string;
  queue: string | null;
  shortcut: string;
  title: string;
  text: string;
}

export interface AgentEntry {
  id: string;
  name: string;
  available: boolean;
  queues: string[];
}

/** An answer the page did not expect, with Parley's error message when it sent one. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  if (response.status === 401) {
    window.location.assign('/agent/login');
    throw new ApiError(401, 'signed out');
  }
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok && response.status !== 404 && response.status !== 405) throw new ApiError(response.status, sentence(json?.error?.message ?? `the server answered ${response.status}`));
  return { status: response.status, json };
}

/** The answer's body, or undefined when the server has no such endpoint (404/405). */
async function optional(method: string, url: string, body?: unknown): Promise<any> {
  const { status, json } = await call(method, url, body);
  if (status === 404 || status === 405) return undefined;
  return json ?? {};
}

/** As `optional`, but a missing endpoint or item is an error the agent reads. */
async function required(method: string, url: string, body?: unknown): Promise<any> {
  const { status, json } = await call(method, url, body);
  if (status === 404 || status === 405) throw new ApiError(status, sentence(json?.error?.message ?? 'not available on this server yet'));
  return json ?? {};
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
const handoffUrl = (id: string, rest = '') => `/agent/api/handoffs/${encodeURIComponent(id)}${rest}`;

// ---- shapes from the server, old and new ----

function fromListItem(raw: any): Conversation {
  if (raw && typeof raw.customer === 'object' && raw.customer !== null) {
    return {
      id: raw.id, customerName: raw.customer.name ?? null, channel: raw.customer.channel ?? raw.channel ?? 'web', language: raw.customer.language ?? null,
      queue: raw.queue, status: raw.status, assignee: raw.assignee ?? null, waitingSince: raw.waitingSince, lastMessageAt: raw.lastMessageAt ?? null,
      unread: typeof raw.unread === 'number' ? raw.unread : null, preview: raw.preview ?? '', reason: raw.reason ?? '',
    };
  }
  const view = raw as HandoffView & { language?: string | null };
  return {
    id: view.id, customerName: view.customerName, channel: view.channel, language: view.language ?? null, queue: view.queue, status: view.status,
    assignee: view.agentId ? { id: view.agentId, name: view.agentName ?? view.agentId } : null, waitingSince: view.waitingSince,
    lastMessageAt: null, unread: null, preview: view.summary, reason: view.reason,
  };
}

function fromLine(raw: any): Line {
  const kind: LineKind = raw.kind ?? raw.from ?? 'bot';
  const delivery = typeof raw.delivery === 'string' ? { state: raw.delivery as DeliveryState } : raw.delivery;
  // Notes are numbered apart from messages: their ids are kept apart too (the transcript says `note-<id>`).
  const id = kind === 'note' && !String(raw.id).startsWith('note-') ? `note-${raw.id}` : String(raw.id);
  return {
    id, kind, text: raw.text ?? '', at: raw.at,
    ...(raw.by ? { by: raw.by } : {}),
    ...(delivery ? { delivery } : {}),
    ...(raw.payload ? { pressed: raw.payload } : {}),
    ...(raw.buttons?.length ? { buttons: raw.buttons } : {}),
    ...(raw.channel ? { channel: raw.channel } : {}),
    ...(Array.isArray(raw.attachments) && raw.attachments.length ? { attachments: raw.attachments } : {}),
  };
}

function sidebarFrom(raw: any, context: HandoffContext | undefined, view: Conversation): Sidebar {
  const given = raw.sidebar;
  const customer = given?.customer ?? {};
  const vars: any[] = given?.variables ?? Object.entries(context?.flow.vars ?? {}).map(([name, value]) => ({ name, value }));
  const knowledge = given?.knowledge
    ?? (context?.knowledge ?? []).map((record) => ({ question: record.question, articleTitle: record.results[0]?.title ?? null, answered: record.answer !== null }));
  return {
    customer: {
      id: customer.id ?? context?.customer.id ?? null,
      name: customer.name ?? context?.customer.name ?? view.customerName,
      channels: customer.channels ?? [view.channel],
      identities: (customer.identities ?? []).map(identityWords).filter(Boolean),
      language: customer.language ?? context?.customer.locale ?? view.language,
      preferredChannel: customer.preferredChannel ?? context?.customer.preferredChannel ?? null,
      consent: consentWords(customer.consent),
    },
    reason: given?.reason ?? context?.reason ?? view.reason,
    summary: given?.summary ?? context?.summary ?? '',
    summaryByModel: (raw.handoff?.summarySource ?? context?.summarySource) === 'model',
    flow: given?.flow ?? context?.flow.flow ?? null,
    variables: vars
      .map((v) => ({ name: String(v.name), label: v.label ?? variableLabel(v.name), value: variableValue(v.value) }))
      .filter((v) => !v.name.startsWith('_') && v.value !== '' && v.value !== '—'),
    knowledge,
    previous: (given?.previous ?? []).map((p: any) => ({
      id: p.id, startedAt: p.startedAt, status: p.outcome ? `${p.status}, ${p.outcome}` : p.status,
      summary: [p.agentName ? `with ${p.agentName}` : '', p.summary].filter(Boolean).join(': '),
    })),
  };
}

/** A linked identity in words: "WhatsApp +4915123456789"; a channel's own opaque ids are not shown. */
function identityWords(identity: any): string {
  if (typeof identity === 'string') return identity;
  return `${channelName(identity.channel)}${identity.phone ? ` ${identity.phone}` : ''}`;
}

/** The consent in force in words: "Marketing on WhatsApp: granted; Transcripts: withdrawn". */
function consentWords(consent: unknown): string | null {
  if (typeof consent === 'string') return consent || null;
  if (Array.isArray(consent)) {
    const parts = consent.map((c: any) => `${variableLabel(String(c.purpose ?? 'consent'))}${c.channel ? ` on ${channelName(c.channel)}` : ''}: ${c.state}`);
    return parts.length ? parts.join('; ') : null;
  }
  if (consent && typeof consent === 'object') {
    const parts = Object.entries(consent).filter(([, value]) => value !== null && value !== undefined).map(([key, value]) => `${variableLabel(key)}: ${variableValue(value as never)}`);
    return parts.length ? parts.join('; ') : null;
  }
  return null;
}

// ---- calls ----

export async function me(): Promise<Me> {
  const { agent } = await required('GET', '/agent/api/me');
  return { id: agent.id, name: agent.name, admin: agent.admin === true, queues: agent.queues ?? [], ...(typeof agent.available === 'boolean' ? { available: agent.available } : {}) };
}

export async function signOut(): Promise<void> {
  await fetch('/agent/logout', { method: 'POST' });
  window.location.assign('/agent/login');
}

export interface ListQuery {
  tab: Tab;
  queue?: string;
  channel?: string;
  language?: string;
  q?: string;
}

/** Whether the server applies the tabs and filters (a workspace server); learnt from its answers. */
let serverFilters = false;

/** The list; `filtered` says whether the server applied the tab and filters (else the page does). */
export async function listConversations(query: ListQuery): Promise<{ conversations: Conversation[]; filtered: boolean; counts?: TabCounts }> {
  const params = new URLSearchParams({ tab: query.tab });
  for (const key of ['queue', 'channel', 'language', 'q'] as const) if (query[key]) params.set(key, query[key]!);
  const json = await required('GET', `/agent/api/handoffs?${params}`);
  const items: any[] = Array.isArray(json) ? json : json.handoffs ?? [];
  if (Array.isArray(json) || items.some((item) => typeof item.customer === 'object')) serverFilters = true;
  const counts = json.counts && typeof json.counts.waiting === 'number' ? { waiting: json.counts.waiting, mine: json.counts.mine, open: json.counts.open } : undefined;
  return { conversations: items.map(fromListItem), filtered: serverFilters, ...(counts ? { counts } : {}) };
}

export async function conversation(id: string): Promise<Detail> {
  const json = await required('GET', handoffUrl(id));
  const view = fromListItem(json.handoff ?? json);
  const context = json.context as HandoffContext | undefined;
  if (context?.customer.locale && !view.language) view.language = context.customer.locale;
  return { conversation: view, transcript: (json.transcript ?? []).map(fromLine), sidebar: sidebarFrom(json, context, view), position: json.position ?? null };
}

/** A line as the live connection carries it. */
export const lineFrom = (raw: TranscriptLine | Record<string, unknown>, kind?: LineKind): Line => fromLine(kind ? { ...raw, kind } : raw);
export const conversationFrom = (raw: unknown): Conversation => fromListItem(raw);

/** Where each outbound message of the conversation is on its way, by line id. */
export async function delivery(id: string): Promise<Record<string, NonNullable<Line['delivery']>>> {
  const json = await optional('GET', handoffUrl(id, '/delivery'));
  return json?.delivery ?? {};
}

export async function markRead(id: string): Promise<void> {
  await optional('POST', handoffUrl(id, '/read'));
}

export async function claim(id: string): Promise<Conversation> {
  const json = await required('POST', handoffUrl(id, '/claim'), {});
  return fromListItem(json.handoff ?? json);
}

export async function reply(id: string, text: string): Promise<void> {
  await required('POST', handoffUrl(id, '/replies'), { messageId: crypto.randomUUID(), text });
}

export async function addNote(id: string, text: string): Promise<Line> {
  const json = await required('POST', handoffUrl(id, '/notes'), { text });
  return fromLine({ kind: 'note', ...(json.note ?? json) });
}

export async function resolve(id: string, outcome: string): Promise<Conversation> {
  const json = await required('POST', handoffUrl(id, '/resolve'), { outcome });
  return fromListItem(json.handoff ?? json);
}

export async function assign(id: string, agentId: string): Promise<Conversation> {
  const json = await required('POST', handoffUrl(id, '/assign'), { agentId });
  return fromListItem(json.handoff ?? json);
}

export async function transfer(id: string, queue: string, note: string): Promise<Conversation> {
  const json = await required('POST', handoffUrl(id, '/transfer'), { queue, ...(note ? { note } : {}) });
  return fromListItem(json.handoff ?? json);
}

/** The agents to assign to; undefined when the server cannot list them. */
export async function agents(): Promise<AgentEntry[] | undefined> {
  const json = await optional('GET', '/agent/api/agents');
  if (json !== undefined) serverFilters = true;
  return json === undefined ? undefined : Array.isArray(json) ? json : json.agents ?? [];
}

/** Whether the server took the availability; undefined when it has no such setting yet. */
export async function setAvailability(available: boolean): Promise<boolean | undefined> {
  const json = await optional('PUT', '/agent/api/me/availability', { available });
  return json === undefined ? undefined : json.available === true;
}

export async function suggestions(id: string): Promise<Suggestion[]> {
  const json = await optional('GET', handoffUrl(id, '/suggestions'));
  return suggestionsFrom(json === undefined ? [] : Array.isArray(json) ? json : json.suggestions ?? []);
}

/** Suggestions as the page shows them: each passage once, with its article's title (never a score). */
export function suggestionsFrom(items: any[]): Suggestion[] {
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const item of items) {
    const text = String(item.text ?? '').trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    const title = item.title ?? item.source ?? 'Knowledge base';
    out.push({ key: `${item.articleId ?? title}:${out.length}`, title, snippet: item.snippet ?? text, text });
  }
  return out;
}

export async function canned(queue?: string): Promise<Canned[] | undefined> {
  const json = await optional('GET', `/agent/api/canned${queue ? `?queue=${encodeURIComponent(queue)}` : ''}`);
  return json === undefined ? undefined : Array.isArray(json) ? json : json.canned ?? json.responses ?? [];
}

/** A canned response with this conversation's variables filled in, and the variables it had no value for. */
export interface RenderedCanned {
  text: string;
  missing: string[];
}

/** The canned response filled for this conversation; undefined when the server cannot fill it. */
export async function renderCanned(handoffId: string, cannedId: string): Promise<RenderedCanned | undefined> {
  const json = await optional('POST', handoffUrl(handoffId, `/canned/${encodeURIComponent(cannedId)}/render`), {});
  return typeof json?.text === 'string' ? { text: json.text, missing: Array.isArray(json.missing) ? json.missing : [] } : undefined;
}

export type CannedInput = Omit<Canned, 'id'>;

export async function saveCanned(input: CannedInput, id?: string): Promise<void> {
  if (id) await required('PUT', `/agent/api/canned/${encodeURIComponent(id)}`, input);
  else await required('POST', '/agent/api/canned', input);
}

export async function deleteCanned(id: string): Promise<void> {
  await required('DELETE', `/agent/api/canned/${encodeURIComponent(id)}`);
}

/** The channels this server has on (for linking an identity). */
export async function channels(): Promise<string[]> {
  const health = await fetch('/healthz').then((r) => r.json()).catch(() => ({ channels: [] }));
  return Array.isArray(health.channels) ? health.channels : [];
}

export async function linkIdentity(customerId: string, channel: string, identity: string): Promise<{ customerId: string; identities: { channel: string; phone?: string }[] }> {
  return required('POST', '/agent/api/customers/link', { customerId, with: { channel, identity } });
}
