/**
 * The one contract for what plugs into the app (docs/channels.md, "Parts"). The composition root (src/app.ts) opens
 * the infrastructure, builds every part from one `PartContext`, and wires what each contributes the same way: the
 * channel's sender to the outbox, the desk to the handoff system, the routes in their own Fastify scope, start and
 * stop with the server. Types only: a part depends on these ports, never on the app.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { AgentDesk } from '../handoff/desk.ts';
import type { HandoffService } from '../handoff/handoff-service.ts';
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { RedisHandle } from '../infra/redis.ts';
import type { HandoffCopies } from '../privacy/customer-erase.ts';
import type { AdminAuth } from '../server/admin-auth.ts';
import type { Store } from '../store/types.ts';
import type { ChannelAdapter } from './channel.ts';
import type { InboxPort } from './inbox-port.ts';

/** What every part is built from: the configuration (parsed once, at start) and the opened infrastructure. */
export interface PartContext {
  config: Config;
  logger: Logger;
  store: Store;
  redis: RedisHandle;
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

/** Something that plugs into the app: a channel today, the features later (issue 19). Every member is optional. */
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
  /** The desk's copies of handoffs kept outside Parley (Slack's messages), for erasing a customer. */
  readonly deskCopies?: HandoffCopies;
  /** Turn hooks; after the features' (customers, privacy, ratings, handoff) and before the analytics recorder: earlier ones take precedence. */
  readonly hooks?: TurnHooks;
  readonly routes?: PartRoutes;
  /** Called once the server listens and has recovered earlier turns. */
  start?(runtime: PartRuntime): void | Promise<void>;
  /** Called once the server stopped taking requests, before the inbox and the outbox close. */
  stop?(): Promise<void>;
}
