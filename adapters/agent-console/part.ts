import { ParleyError } from '../../src/core/errors.ts';
import type { PartFactory } from '../../src/core/part.ts';
import type { HandoffService } from '../../src/handoff/handoff-service.ts';
import { understandOptions } from '../../src/understanding/understander.ts';
import { ConsoleDesk } from './console-events.ts';
import { registerAgentConsole } from './routes.ts';
import { AgentSessions, requestSecret } from '../../src/server/auth/agent-sessions.ts';
import { SignInThrottle } from '../../src/server/auth/sign-in-throttle.ts';
import { createWorkspace } from './workspace.ts';

/**
 * The agent workspace at /agent: sign-in (also how admin agents are recognised), the console's API, socket and page,
 * and its desks (the console, automatic assignment, suggestions). On with the handoff system; the console counts as
 * someone who takes handoffs when an agent works a queue (editors alone take none).
 */
export const agentWorkspacePart: PartFactory = ({ config, logger, redis, store, flows, understander, search, services }) => {
  const settings = config.handoff;
  if (settings.agents.length === 0 && !settings.slack?.agentChannel) return undefined;
  const console = new ConsoleDesk(redis.client, redis.duplicate(), `${settings.queuePrefix}:console-events`);
  const throttle = new SignInThrottle(redis.client, settings.queuePrefix);
  const sessions = new AgentSessions(redis.client, settings.queuePrefix, settings.sessionTtlMs, settings.agents, throttle);
  const takesHandoffs = settings.agents.some((agent) => agent.queues.length > 0);
  let workspace: ReturnType<typeof createWorkspace> | undefined;
  // Built once, with the handoff service, when the desks are wired (before the routes).
  const build = (service: HandoffService) => workspace ??= createWorkspace({
    service, settings, redis: redis.client, desk: console, logger, minConfidence: config.minConfidence,
    customerRecord: async (customerId) => services.customerRecord?.(customerId),
    ...(search ? { search } : {}), ...(services.knowledge ? { knowledge: services.knowledge } : {}),
    // An agent typing shows where the customer is connected live (the web chat); nothing is stored.
    agentTyping: async (conversation, agent) => services.presence?.(conversation.channel)?.agentTyping(conversation.externalId, agent.name),
    // Suggestions only for what the understanding step confidently understood, read as a turn reads it.
    understand: (conversation, text) => understander.understand(flows.forState(conversation.state), text, { ...understandOptions(conversation.state), model: false }),
  });
  return {
    name: 'agent-workspace',
    provides: {
      sessions,
      agentOf: (request) => sessions.resolve(requestSecret(request.headers)),
      async customerTyping(channel, conversationExternalId) {
        const service = services.handoff?.service;
        const conversation = service ? await store.findConversation(channel, conversationExternalId) : null;
        const handoff = service && conversation?.mode === 'human' ? await service.handoffs.openFor(conversation.id) : null;
        if (handoff) await console.broadcast({ type: 'typing', handoffId: handoff.id, queue: handoff.queue, who: 'customer' });
      },
    },
    desk: () => (takesHandoffs ? console : undefined),
    followers: (service) => [...(takesHandoffs ? [] : [console]), ...build(service).desks],
    routes: {
      async register(scope, { handoff }) {
        if (!handoff || !workspace) throw new ParleyError('CONFIG_INVALID', 'the agent workspace needs the handoff part');
        await registerAgentConsole(scope, { service: handoff.service, sessions, throttle, desk: console, logger, workspace: workspace.parts });
      },
    },
  };
};
