/**
 * The voice-of-the-customer report: what customers did and said about it, per flow, channel and UTC day, read from
 * analytics_turns, conversation_ratings, handoffs, messages and kb_gaps. Every figure is defined in docs/report.md;
 * the admin page (/admin/report), its JSON API and `parley report` all show this one object.
 */
import { SqlGapStore } from '../kb/gap-store.ts';
import { groupGaps } from '../kb/gap-groups.ts';
import type { KbGapGroup } from '../kb/types.ts';
import type { Queryable } from '../store/types.ts';

/** How long a conversation left waiting on a question must stay quiet to count as dropped off there. */
export const DEFAULT_QUIET_MS = 30 * 60_000;
const GAP_LIMIT = 20;

export interface Stat {
  median: number | null;
  p90: number | null;
  count: number;
}

export interface Figures {
  /** Conversation-days: a conversation counts once on each UTC day its customer wrote in it. */
  conversations: number;
  /** Of those, the ones no person was involved in that day. */
  contained: number;
  /** contained / conversations, 0..1; null without conversations. */
  containment: number | null;
  handoffs: number;
  handoffsByReason: Record<string, number>;
  /** Customer's first message of the day → first reply sent (ms). */
  firstResponseMs: Stat;
  /** Handoff opened → claimed by an agent (ms). */
  timeToPersonMs: Stat;
  rating: { average: number | null; count: number };
  dropOffs: number;
}

export interface DropOffRow {
  flow: string;
  step: string;
  /** Conversations that stopped at this step (waiting on it) at least once. */
  reached: number;
  /** Conversations whose last turn left them waiting here, quiet since. */
  dropped: number;
  rate: number;
}

export interface GapRow extends Omit<KbGapGroup, 'lastAt'> {
  lastAt: string;
}

export interface Report {
  since: string;
  until: string;
  quietMinutes: number;
  totals: Figures;
  byDay: Array<Figures & { day: string }>;
  byChannel: Array<Figures & { channel: string }>;
  byFlow: Array<Figures & { flow: string }>;
  /** Per UTC day, channel and flow; `flow: null` is that day and channel over all flows. */
  breakdown: Array<Figures & { day: string; channel: string; flow: string | null }>;
  handoffReasons: Array<{ reason: string; label: string; count: number }>;
  dropOff: DropOffRow[];
  gaps: GapRow[];
}

export const REASON_LABELS: Record<string, string> = {
  customer_request: 'asked for a person',
  frustration: 'frustrated',
  kb_declined: 'knowledge base could not answer',
  ask_failed: 'question not answered after retries',
  flow: "a flow's handoff step",
  recovered: 'recovered after a failure',
};

interface ConversationDay { conversationId: string; day: string; channel: string; flows: Set<string>; withPerson: boolean; firstResponseMs?: number }
interface HandoffFact { conversationId: string; day: string; channel: string; flow: string | null; trigger: string; waitMs?: number }
interface Scored { day: string; channel: string; flow: string | null }
interface RatingFact extends Scored { rating: number }
interface DropFact extends Scored { flow: string; step: string }

interface TurnRow { conversation_id: string; channel: string; kind: string; day: string; flows: string[]; flow: string | null; step: string | null; mode: string; outcome: string; at: Date | string }

export interface ReportOptions {
  since: Date;
  now?: Date;
  quietMs?: number;
}

export async function buildReport(db: Queryable, options: ReportOptions): Promise<Report> {
  const now = options.now ?? new Date();
  const quietMs = options.quietMs ?? DEFAULT_QUIET_MS;
  const { since } = options;

  const turns = (await db.query<TurnRow>(
    `SELECT conversation_id, channel, kind, to_char(day, 'YYYY-MM-DD') AS day, flows, flow, step, mode, outcome, at
     FROM analytics_turns WHERE at >= $1 ORDER BY conversation_id, id`, [since])).rows;
  const handoffRows = (await db.query<{ conversation_id: string; channel: string; trigger: string; flow: string | null; day: string; created_at: Date | string; claimed_at: Date | string | null }>(
    `SELECT h.conversation_id, c.channel, h.trigger, h.context -> 'flow' ->> 'flow' AS flow,
       to_char((h.created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, h.created_at, h.claimed_at
     FROM handoffs h JOIN conversations c ON c.id = h.conversation_id WHERE h.created_at >= $1`, [since])).rows;
  const ratingRows = (await db.query<{ channel: string; flow: string | null; rating: number; day: string }>(
    `SELECT channel, flow, rating, to_char((closed_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day
     FROM conversation_ratings WHERE closed_at >= $1 AND rating IS NOT NULL`, [since])).rows;
  const firstRows = (await db.query<{ conversation_id: string; day: string; created_at: Date | string; replied_at: Date | string | null }>(
    `SELECT DISTINCT ON (m.conversation_id, (m.created_at AT TIME ZONE 'UTC')::date)
       m.conversation_id, to_char((m.created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, m.created_at,
       (SELECT min(o.sent_at) FROM messages o WHERE o.conversation_id = m.conversation_id AND o.direction = 'out' AND o.id > m.id) AS replied_at
     FROM messages m WHERE m.direction = 'in' AND m.created_at >= $1
     ORDER BY m.conversation_id, (m.created_at AT TIME ZONE 'UTC')::date, m.id`, [since])).rows;
  const gapGroups = groupGaps(await new SqlGapStore(db).list({ limit: 5000, since })).slice(0, GAP_LIMIT);

  // Conversation-days, from the customers' own turns.
  const days = new Map<string, ConversationDay>();
  const byConversation = new Map<string, TurnRow[]>();
  for (const turn of turns) {
    byConversation.set(turn.conversation_id, [...(byConversation.get(turn.conversation_id) ?? []), turn]);
    const key = `${turn.conversation_id}|${turn.day}`;
    let entry = days.get(key);
    if (!entry && turn.kind === 'message') days.set(key, (entry = { conversationId: turn.conversation_id, day: turn.day, channel: turn.channel, flows: new Set(), withPerson: false }));
    if (!entry) continue;
    for (const flow of turn.flows) entry.flows.add(flow);
    if (turn.mode === 'human' || turn.outcome === 'handoff') entry.withPerson = true;
  }
  for (const row of firstRows) {
    const entry = days.get(`${row.conversation_id}|${row.day}`);
    if (entry && row.replied_at) entry.firstResponseMs = Math.max(0, new Date(row.replied_at).getTime() - new Date(row.created_at).getTime());
  }

  const handoffs: HandoffFact[] = handoffRows.map((row) => {
    const created = new Date(row.created_at);
    const entry = days.get(`${row.conversation_id}|${row.day}`);
    if (entry) entry.withPerson = true;
    return {
      conversationId: row.conversation_id, day: row.day, channel: row.channel, trigger: row.trigger,
      flow: handoffFlow(byConversation.get(row.conversation_id) ?? [], created) ?? row.flow,
      ...(row.claimed_at ? { waitMs: Math.max(0, new Date(row.claimed_at).getTime() - created.getTime()) } : {}),
    };
  });
  const ratings: RatingFact[] = ratingRows.map((row) => ({ day: row.day, channel: row.channel, flow: row.flow, rating: Number(row.rating) }));

  // Drop-off: the conversation's last turn left it waiting on a flow's question, in bot mode, and it has been quiet since.
  const drops: DropFact[] = [];
  const reached = new Map<string, Set<string>>();
  for (const [conversationId, list] of byConversation) {
    for (const turn of list) {
      if (turn.flow && turn.step) reached.set(`${turn.flow}\u0000${turn.step}`, (reached.get(`${turn.flow}\u0000${turn.step}`) ?? new Set()).add(conversationId));
    }
    const last = list.at(-1)!;
    if (last.flow && last.step && last.mode === 'bot' && now.getTime() - new Date(last.at).getTime() >= quietMs) {
      drops.push({ day: last.day, channel: last.channel, flow: last.flow, step: last.step });
    }
  }

  const facts = { days: [...days.values()], handoffs, ratings, drops };
  const dayList = utcDays(since, now);
  const channels = [...new Set([...facts.days.map((d) => d.channel), ...handoffs.map((h) => h.channel), ...ratings.map((r) => r.channel)])].sort();
  const flows = [...new Set([...facts.days.flatMap((d) => [...d.flows]), ...handoffs.flatMap((h) => (h.flow ? [h.flow] : [])), ...drops.map((d) => d.flow)])].sort();

  const breakdown: Report['breakdown'] = [];
  for (const day of dayList) {
    for (const channel of channels) {
      for (const flow of [null, ...flows]) {
        const figures = figuresOf(facts, { day, channel, ...(flow ? { flow } : {}) });
        if (figures.conversations + figures.handoffs + figures.rating.count + figures.dropOffs > 0) breakdown.push({ day, channel, flow, ...figures });
      }
    }
  }

  const totals = figuresOf(facts, {});
  return {
    since: since.toISOString(),
    until: now.toISOString(),
    quietMinutes: Math.round(quietMs / 60_000),
    totals,
    byDay: dayList.map((day) => ({ day, ...figuresOf(facts, { day }) })),
    byChannel: channels.map((channel) => ({ channel, ...figuresOf(facts, { channel }) })),
    byFlow: flows.map((flow) => ({ flow, ...figuresOf(facts, { flow }) })),
    breakdown,
    handoffReasons: Object.entries(totals.handoffsByReason).map(([reason, count]) => ({ reason, label: REASON_LABELS[reason] ?? reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    dropOff: [...reached.entries()].map(([key, conversations]) => {
      const [flow, step] = key.split('\u0000') as [string, string];
      const dropped = drops.filter((d) => d.flow === flow && d.step === step).length;
      return { flow, step, reached: conversations.size, dropped, rate: dropped / conversations.size };
    }).filter((row) => row.dropped > 0).sort((a, b) => b.dropped - a.dropped || b.rate - a.rate),
    gaps: gapGroups.map((group) => ({ ...group, lastAt: group.lastAt.toISOString() })),
  };
}

interface Filter { day?: string; channel?: string; flow?: string }

function figuresOf(facts: { days: ConversationDay[]; handoffs: HandoffFact[]; ratings: RatingFact[]; drops: DropFact[] }, filter: Filter): Figures {
  const scoped = (fact: Scored) => (!filter.day || fact.day === filter.day) && (!filter.channel || fact.channel === filter.channel) && (!filter.flow || fact.flow === filter.flow);
  const days = facts.days.filter((d) => (!filter.day || d.day === filter.day) && (!filter.channel || d.channel === filter.channel) && (!filter.flow || d.flows.has(filter.flow)));
  const handoffs = facts.handoffs.filter(scoped);
  const ratings = facts.ratings.filter(scoped);
  const contained = days.filter((d) => !d.withPerson).length;
  const byReason: Record<string, number> = {};
  for (const handoff of handoffs) byReason[handoff.trigger] = (byReason[handoff.trigger] ?? 0) + 1;
  return {
    conversations: days.length,
    contained,
    containment: days.length > 0 ? contained / days.length : null,
    handoffs: handoffs.length,
    handoffsByReason: byReason,
    firstResponseMs: stat(days.flatMap((d) => (d.firstResponseMs === undefined ? [] : [d.firstResponseMs]))),
    timeToPersonMs: stat(handoffs.flatMap((h) => (h.waitMs === undefined ? [] : [h.waitMs]))),
    rating: { average: ratings.length > 0 ? round(ratings.reduce((sum, r) => sum + r.rating, 0) / ratings.length, 2) : null, count: ratings.length },
    dropOffs: facts.drops.filter(scoped).length,
  };
}

/** The flow a handoff came from: the last flow of the conversation's turn that handed over (the one nearest in time). */
function handoffFlow(turns: readonly TurnRow[], created: Date): string | null {
  const distance = (t: TurnRow) => Math.abs(new Date(t.at).getTime() - created.getTime());
  const turn = turns.filter((t) => t.outcome === 'handoff').sort((a, b) => distance(a) - distance(b))[0];
  return turn?.flows.at(-1) ?? null;
}

/** Median and 90th percentile (nearest rank). */
function stat(values: number[]): Stat {
  if (values.length === 0) return { median: null, p90: null, count: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { median: rank(0.5), p90: rank(0.9), count: sorted.length };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Every UTC day from `since` to `now`, as YYYY-MM-DD. */
function utcDays(since: Date, now: Date): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()); t <= now.getTime(); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
