/**
 * The handoff context: everything an agent needs so they never have to ask what the customer already said.
 * One typed, versioned schema (documented in docs/handoff.md). A change that a reader of version 1 could
 * misread gets a new `version`; adding an optional field does not.
 */
import { z } from 'zod';

/** Why a conversation went to a person. */
export const HANDOFF_TRIGGERS = [
  /** A flow's `handoff` step (also the engine's own "Talk to a person" button). */
  'flow',
  /** The customer asked for a person, in whatever words. */
  'customer_request',
  /** The knowledge base declined to answer twice in a row. */
  'kb_declined',
  /** An `ask` ran out of retries and its `on_fail` handed over. */
  'ask_failed',
  /** The same question again, or explicit anger. */
  'frustration',
  /** The conversation was with a person but its handoff record was missing (a crash between the two writes). */
  'recovered',
] as const;
export type HandoffTrigger = (typeof HANDOFF_TRIGGERS)[number];

/** Who wrote a context's summary: the chat model, or Parley from the transcript (no model). */
export const SUMMARY_SOURCES = ['model', 'extractive'] as const;
export type SummarySource = (typeof SUMMARY_SOURCES)[number];

/** 1 is served first. BullMQ's own priority scale, so the job's priority is this number. */
export const PRIORITIES = { urgent: 1, high: 2, normal: 3 } as const;

const VarValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const Iso = z.string().datetime({ offset: true });

export const TranscriptLine = z.object({
  /** Store id of the message (monotonic): lines are in this order. */
  id: z.string(),
  at: Iso,
  from: z.enum(['customer', 'bot', 'agent']),
  text: z.string(),
  /** The button the customer pressed, when they pressed one. */
  payload: z.string().optional(),
  /** Titles of the buttons the bot offered with this line. */
  buttons: z.array(z.string()).optional(),
  /** The channel the line went out on, when it is not the conversation's (an agent's reply on the customer's other channel). */
  channel: z.string().optional(),
  /**
   * What was attached, by reference: its kind, name, type and caption, and its address only when it is a web link
   * (a channel's media id is no use to an agent).
   */
  attachments: z.array(z.object({
    kind: z.string(), name: z.string().optional(), mimeType: z.string().optional(), caption: z.string().optional(), url: z.string().optional(),
  })).optional(),
});
export type TranscriptLine = z.infer<typeof TranscriptLine>;

export const KnowledgeRecord = z.object({
  question: z.string(),
  at: Iso,
  /** 0..1, the knowledge base's confidence that its best article answers the question. */
  confidence: z.number(),
  /** What the bot answered from it, or null when it declined. */
  answer: z.string().nullable(),
  /** The articles it retrieved, best first, with their scores (comparable within one question only). */
  results: z.array(z.object({ id: z.string(), title: z.string(), score: z.number() })),
});
export type KnowledgeRecord = z.infer<typeof KnowledgeRecord>;

/** Version 1, as stored before issue 7: it also carried the channel's address and the customer's raw identity. */
export const HandoffContextV1 = z.object({
  version: z.literal(1),
  handoffId: z.string().uuid(),
  conversationId: z.string().uuid(),
  createdAt: Iso,
  trigger: z.enum(HANDOFF_TRIGGERS),
  reason: z.string(),
  priority: z.number().int().min(1).max(10),
  queue: z.string(),
  customer: z.object({
    id: z.string().uuid(),
    name: z.string().nullable(),
    locale: z.string().nullable(),
    identities: z.array(z.object({ channel: z.string(), id: z.string() })),
    preferredChannel: z.string(),
  }),
  channel: z.object({
    id: z.string(),
    address: z.object({ channel: z.string(), conversationId: z.string(), userId: z.string() }),
  }),
  transcript: z.array(TranscriptLine),
  flow: z.object({ flow: z.string().optional(), step: z.string().optional(), vars: z.record(z.string(), VarValue) }),
  knowledge: z.array(KnowledgeRecord),
  summary: z.string(),
  summarySource: z.enum(SUMMARY_SOURCES).optional(),
  waitingSince: Iso,
});
export type HandoffContextV1 = z.infer<typeof HandoffContextV1>;

/**
 * Version 2: only what an agent needs to take the conversation over (docs/handoff.md says why each field is there).
 * Replies go through Parley to the conversation's own address, so the context carries no address, no phone
 * number and no channel user id; the customer is their internal id, the name the channel gave and their language.
 */
export const HandoffContextV2 = z.object({
  version: z.literal(2),
  handoffId: z.string().uuid(),
  conversationId: z.string().uuid(),
  createdAt: Iso,
  trigger: z.enum(HANDOFF_TRIGGERS),
  /** Human-readable: the flow's reason, or what Parley noticed ("asked for a person: 'can I talk to someone'"). */
  reason: z.string(),
  /** 1 (urgent) … 3 (normal); see PRIORITIES. */
  priority: z.number().int().min(1).max(10),
  /** The agents' queue it waits in; agents see only their queues. */
  queue: z.string(),
  customer: z.object({
    /** Parley's own id (pseudonymous): what an admin's export or erasure of this customer's data is asked with. */
    id: z.string().uuid(),
    /** How to greet them: the name the channel gave, if any. */
    name: z.string().nullable(),
    /** The language to answer in. */
    locale: z.string().nullable(),
    /** Where they want to be answered: the channel they wrote from unless they said otherwise. */
    preferredChannel: z.string(),
  }),
  /** The channel the conversation is on (`web`, `whatsapp`, …): what the agent's reply will look like there. */
  channel: z.object({ id: z.string() }),
  /** The whole conversation so far, oldest first (at most the last 500 lines): so nobody asks again. */
  transcript: z.array(TranscriptLine),
  /** Where the customer was in the flows, with the variables collected so far (internal `_…` variables left out). */
  flow: z.object({ flow: z.string().optional(), step: z.string().optional(), vars: z.record(z.string(), VarValue) }),
  /** What the knowledge base returned for the customer's recent questions (latest last): what the bot tried. */
  knowledge: z.array(KnowledgeRecord),
  /** A few sentences for the agent: written by the chat model when OpenAI is configured and it answered in time, else extractive. */
  summary: z.string(),
  /** Who wrote `summary`. */
  summarySource: z.enum(SUMMARY_SOURCES).optional(),
  /** When the customer started waiting for a person; the desks show the time waited from it. */
  waitingSince: Iso,
});
export type HandoffContext = z.infer<typeof HandoffContextV2>;

/** Every version a reader of stored contexts accepts. */
export const HandoffContextSchema = z.discriminatedUnion('version', [HandoffContextV1, HandoffContextV2]);

/** A version-1 context as version 2: the address and the raw identities dropped (migration 0007 does the same in SQL). */
export function upgradeContext(context: HandoffContextV1 | HandoffContext): HandoffContext {
  if (context.version === 2) return context;
  const { identities: _identities, ...customer } = context.customer;
  return { ...context, version: 2, customer, channel: { id: context.channel.id } };
}

/** A stored context of any version, as the current version. */
export function parseHandoffContext(value: unknown): HandoffContext {
  return upgradeContext(HandoffContextSchema.parse(value));
}
