/**
 * Part of the composition root (src/app.ts): builds the parts from their factories and wires what they contribute
 * (src/core/part.ts), the same way for each, in the order of the list.
 */
import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter } from './core/channel.ts';
import { ParleyError } from './core/errors.ts';
import type { ChannelPresence, Part, PartContext, PartFactory, PartRuntime, PartServices } from './core/part.ts';
import type { HandoffSystem } from './handoff/index.ts';
import type { TurnHooks } from './inbox/turn-hooks.ts';
import type { HandoffCopies } from './privacy/customer-erase.ts';

export class AppParts {
  readonly parts: readonly Part[];
  /** The channels' senders by channel id, in the order of the list (as /healthz lists them). */
  readonly channels: Map<string, ChannelAdapter>;
  /** What the parts offer each other, and what the app adds (`provide`); the same object as every context's. */
  readonly services: Partial<PartServices> = {};

  constructor(factories: readonly PartFactory[], context: Omit<PartContext, 'services'>) {
    const built = { ...context, services: this.services };
    this.parts = factories.map((factory) => factory(built)).filter((part): part is Part => part !== undefined);
    this.channels = new Map();
    for (const { name, channel } of this.parts) {
      if (!channel) continue;
      if (this.channels.has(channel.id)) throw new ParleyError('CONFIG_INVALID', `two parts send on channel ${channel.id} (the second: ${name})`);
      this.channels.set(channel.id, channel);
    }
    const offeredBy = new Map<string, string>();
    for (const { name, provides } of this.parts) {
      for (const key of Object.keys(provides ?? {})) {
        if (offeredBy.has(key)) throw new ParleyError('CONFIG_INVALID', `two parts offer ${key} (${offeredBy.get(key)} and ${name})`);
        offeredBy.set(key, name);
      }
      Object.assign(this.services, provides);
    }
    this.provide({
      channelEnabled: (channel) => this.channels.has(channel),
      presence: (channel) => this.presence(channel),
      deskCopies: this.deskCopies,
    });
  }

  /** Adds the app's own services (the outbox's delivery) once they exist. */
  provide(services: Partial<PartServices>): void {
    Object.assign(this.services, services);
  }

  /** The presence of the channel's customers (the web chat's sockets); undefined for channels without one. */
  presence(channel: string): ChannelPresence | undefined {
    return this.parts.find((part) => part.channel?.id === channel)?.presence;
  }

  /** Hands every part's desks to the handoff system: those that take handoffs, then those that follow them. */
  wireDesks(system: HandoffSystem): void {
    for (const part of this.parts) {
      const desk = part.desk?.(system.service);
      if (desk) system.addDesk(desk, true);
      for (const follower of part.followers?.(system.service) ?? []) system.addDesk(follower, false);
    }
  }

  get deskCopies(): HandoffCopies[] {
    return this.parts.flatMap((part) => (part.deskCopies ? [part.deskCopies] : []));
  }

  /** The parts' turn hooks in the order of the list; read once the desks are wired. */
  get hooks(): TurnHooks[] {
    return this.parts.flatMap((part) => (part.hooks ? [part.hooks] : []));
  }

  get publicPrefixes(): string[] {
    return this.parts.flatMap((part) => part.routes?.publicPrefixes ?? []);
  }

  /** Each part's routes in a Fastify scope of its own: its hooks and body parsers reach no other part's routes. */
  async register(http: FastifyInstance, runtime: PartRuntime): Promise<void> {
    for (const { routes } of this.parts) if (routes) await http.register(async (scope) => routes.register(scope, runtime));
  }

  async start(runtime: PartRuntime): Promise<void> {
    for (const part of this.parts) await part.start?.(runtime);
  }

  /** Before the inbox and the outbox close: the channels stop taking messages. */
  async stop(): Promise<void> {
    for (const part of this.parts) await part.stop?.();
  }

  /** After the inbox and the outbox closed: the features' queues and timers. */
  async close(): Promise<void> {
    for (const part of this.parts) await part.close?.();
  }
}
