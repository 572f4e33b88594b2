/**
 * The one contract for what plugs into the app (docs/parts.md). The composition root (src/app.ts) opens the
 * infrastructure, builds every part from one `PartContext`, and wires what each contributes the same way: the
 * channel's sender to the outbox, the desks to the handoff system, the turn hooks in the order of the list, the routes
 * in their own Fastify scope, start and stop with the server. Types only: a part depends on these ports, never on the app.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AgentSessions } from '../server/auth/agent-sessions.ts';
import type { AppMetrics } from '../analytics/metrics.ts';
import type { Config } from '../config.ts';
import type { CustomerRecord, CustomerSummary } from '../customers/customer-directory.ts';
import type { FlowRegistry } from '../engine/flow-registry.ts';
import type { Agent } from '../handoff/agents.ts';
import type { AgentDesk } from '../handoff/desk.ts';
import type { HandoffService } from '../handoff/handoff-service.ts';
import type { Handoff } from '../handoff/handoff-rows.ts';
import type { HandoffSystem } from '../handoff/index.ts';
import type { ConversationLock } from '../inbox/conversation-lock.ts';
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { RedisHandle } from '../infra/redis.ts';
import type { RecordedResponses } from '../integrations/recorded-responses.ts';
import type { HandoffCopies } from '../privacy/customer-erase.ts';
import type { AdminAuth } from '../server/auth/admin-auth.ts';
import type { CustomerRows } from '../store/customer-rows.ts';
import type { Conversation, Store, StoredMessage } from '../store/types.ts';
import type { ReleaseServer } from '../studio/release-server.ts';
import type { Understander } from '../understanding/understander.ts';
import type { FoundPassages } from '../agent-workspace/suggestions.ts';
import type { ChannelAdapter } from './channel.ts';
import type { InboxPort } from './inbox-port.ts';
import type { KnowledgePort } from './knowledge-port.ts';
import type { Address } from './message.ts';

/** The knowledge base's search: passages without an answer written or a gap recorded ({{opening_hours}} filled in). */
export type PassageSearch = (question: string, options: { locale?: string; limit?: number }) => Promise<FoundPassages>;

/**
 * What every part is built from: the configuration (parsed once, at start), the opened infrastructure, and `services`,
 * what the other parts offer.
 */
export interface PartContext {
  config: Config;
  logger: Logger;
  store: Store;
  redis: RedisHandle;
  /** The releases of flows and knowledge, and the one served (src/studio/release-server.ts). */
  releases: ReleaseServer;
  /** The flows of the release being served. */
  flows: FlowRegistry;
  /** The knowledge base `answer` steps ask, {{opening_hours}} filled in; absent without one. */
  knowledge?: KnowledgePort;
  /** The knowledge base's own search (absent when createApp was given a knowledge port instead). */
  search?: PassageSearch;
  /** The understanding step, as turns use it. */
  understander: Understander;
  /** The per-conversation lock turns run under. */
  lock: ConversationLock;
  /** Each call endpoint's latest answer, masked, for the studio's preview. */
  recorded: RecordedResponses;
  /** Every module's tables that name a customer (src/customer-data.ts), for erasing, exporting and merging customers. */
  customerData: readonly CustomerRows[];
  /**
   * What the parts (and the app) offer each other, filled in once every part is built: look a service up when it is
   * used — in a hook, a desk, a route, at start — never while a factory runs. Any may be absent (its part is off).
   */
  services: Partial<PartServices>;
}

/** The services parts offer each other (`Part.provides`), and those the app adds (marked "the app"). */
export interface PartServices {
  /** The app: hands stored messages to the outbox for delivery. */
  deliver(conversationId: string, address: Address, messages: StoredMessage[]): void;
  /** The app: whether some part sends on this channel. */
  channelEnabled(channel: string): boolean;
  /** The app: the presence of a channel's customers (the web chat's sockets); undefined for channels without one. */
  presence(channel: string): ChannelPresence | undefined;
  /** The app: every part's copies of handoffs kept outside Parley, for erasing a customer. */
  deskCopies: readonly HandoffCopies[];
  /** customers: messages Parley starts outside a turn (a handoff's), through the consent ledger and the preferred channel. */
  dispatchStarted(conversation: Conversation, messages: StoredMessage[]): Promise<void>;
  /** customers: the customer's name and the channels a late message goes to (a handoff's context); null: no such customer. */
  customerSummary(customerId: string): Promise<CustomerSummary | null>;
  /** customers: the customer an admin names — an id, `channel:id` or a phone number; NOT_FOUND, BAD_REQUEST, CONFLICT. */
  customerRef(ref: string): Promise<string>;
  /** customers: the customer's profile, identities and consent in force (the agent workspace's sidebar). */
  customerRecord(customerId: string): Promise<CustomerRecord>;
  /** ratings: whether a resolve asks for the rating (once per conversation). */
  askRating(conversation: Conversation, handoff: Handoff): Promise<boolean>;
  /** handoff: the handoff system (queue, service, desks). */
  handoff: HandoffSystem;
  /** handoff: the knowledge base as turns' effects ask it, recorded for the handoff context. */
  knowledge: KnowledgePort;
  /** the agent workspace: the console's sign-in sessions (also how admins are recognised, src/server/auth/admin-auth.ts). */
  sessions: AgentSessions;
  /** the agent workspace: the console agent a request is signed in as (session cookie or bearer), without counting it at the sign-in limits. */
  agentOf(request: Pick<FastifyRequest, 'headers'>): Promise<Agent | undefined>;
  /** the agent workspace: the customer of this conversation is typing; its agents see it (nothing is stored). */
  customerTyping(channel: string, conversationExternalId: string): Promise<void>;
  /** analytics: the Prometheus metrics (also counting each channel's failed sends). */
  metrics: AppMetrics;
}

/** Builds a part; undefined when its settings leave it off (no WhatsApp token, BOTFRAMEWORK=0, …). */
export type PartFactory = (context: PartContext) => Part | undefined;

/** What exists once the app is built, for a part's routes and start: they may hand messages to the inbox. */
export interface PartRuntime {
  inbox: InboxPort;
  /** Who may use the operator pages (/admin/…): for a part's admin routes. */
  adminAuth: AdminAuth;
  /** The handoff system, when one is configured. */
  handoff?: PartHandoff;
}

/** The handoff system as parts see it. */
export interface PartHandoff {
  service: HandoffService;
  /** The customer of this conversation is typing: its agents see it (nothing is stored). */
  customerTyping(channel: string, conversationExternalId: string): Promise<void>;
}

/** A channel where the customer may be connected right now (the web chat's socket). */
export interface ChannelPresence {
  /** Whether any server process has the conversation open right now. */
  isLive(conversationExternalId: string): Promise<boolean>;
  /** Shows the customer that an agent is typing; nothing is stored. */
  agentTyping(conversationExternalId: string, agentName: string): Promise<void>;
}

/** A part's HTTP routes. The app registers them in a Fastify scope of their own (`fastify.register`). */
export interface PartRoutes {
  /**
   * Path prefixes that pages on other origins call (the embedded web chat): exempt from the same-origin check of
   * requests that carry the agent console's cookie (src/server/http-server.ts).
   */
  publicPrefixes?: readonly string[];
  /** Adds the routes to `scope`; a part that needs auth adds its one hook there (`scope.addHook('onRequest', …)`). */
  register(scope: FastifyInstance, runtime: PartRuntime): Promise<void>;
}

/** Something that plugs into the app: a channel or a feature. Every member but the name is optional. */
export interface Part {
  readonly name: string;
  /** The channel's sender, for the outbox; its `id` names the channel of the conversations it serves. */
  readonly channel?: ChannelAdapter;
  /** For the channel above: whether its customer is connected now, and showing them an agent's typing. */
  readonly presence?: ChannelPresence;
  /**
   * An agent desk for handoffs, called once with the handoff service before the handoff system starts (only when
   * one is configured). Undefined: this part takes no handoffs. A desk counts as someone who can take a handoff.
   */
  desk?(service: HandoffService): AgentDesk | undefined;
  /** Desks that follow handoffs without taking them (metrics, the workspace's suggestions): they count as nobody. */
  followers?(service: HandoffService): AgentDesk[];
  /** The desk's copies of handoffs kept outside Parley (Slack's messages), for erasing a customer. */
  readonly deskCopies?: HandoffCopies;
  /** Turn hooks, composed in the order of the list (earlier ones take precedence); read once the desks are wired. */
  readonly hooks?: TurnHooks | undefined;
  /** What this part offers the others (see PartServices); two parts offering one service stop the app at start. */
  readonly provides?: Partial<PartServices>;
  readonly routes?: PartRoutes;
  /** Called once the server listens and has recovered earlier turns. */
  start?(runtime: PartRuntime): void | Promise<void>;
  /** Called once the server stopped taking requests, before the inbox and the outbox close (a channel's connector). */
  stop?(): Promise<void>;
  /** Called after the inbox and the outbox closed, when no turn runs any more (a feature's queues and timers). */
  close?(): Promise<void>;
}
