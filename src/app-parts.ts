/**
 * Part of the composition root (src/app.ts): builds the parts from their factories and wires what they contribute
 * (src/core/part.ts), the same way for each, in the order of the list.
 */
import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter } from './core/channel.ts';
import { ParleyError } from './core/errors.ts';
import type { ChannelPresence, Part, PartContext, PartFactory, PartRuntime } from './core/part.ts';
import type { AgentDesk } from './handoff/desk.ts';
import type { HandoffService } from './handoff/handoff-service.ts';
import type { TurnHooks } from './inbox/turn-hooks.ts';
import type { HandoffCopies } from './privacy/customer-erase.ts';

export class AppParts {
  readonly parts: readonly Part[];
  /** The channels' senders by channel id, in the order of the list (as /healthz lists them). */
  readonly channels: Map<string, ChannelAdapter>;

  constructor(factories: readonly PartFactory[], context: PartContext) {
    this.parts = factories.map((factory) => factory(context)).filter((part): part is Part => part !== undefined);
    this.channels = new Map();
    for (const { name, channel } of this.parts) {
      if (!channel) continue;
      if (this.channels.has(channel.id)) throw new ParleyError('CONFIG_INVALID', `two parts send on channel ${channel.id} (the second: ${name})`);
      this.channels.set(channel.id, channel);
    }
  }

  /** The presence of the channel's customers (the web chat's sockets); undefined for channels without one. */
  presence(channel: string): ChannelPresence | undefined {
    return this.parts.find((part) => part.channel?.id === channel)?.presence;
  }

  /** The parts' agent desks, built with the handoff service; empty when no part takes handoffs. */
  desks(service: HandoffService): AgentDesk[] {
    return this.parts.flatMap((part) => part.desk?.(service) ?? []);
  }

  get deskCopies(): HandoffCopies[] {
    return this.parts.flatMap((part) => (part.deskCopies ? [part.deskCopies] : []));
  }

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

  async stop(): Promise<void> {
    for (const part of this.parts) await part.stop?.();
  }
}
