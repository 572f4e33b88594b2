import type {} from '@fastify/websocket';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { ViewerRegistry } from '../../src/agent-workspace/viewers.ts';
import type { Agent } from '../../src/handoff/agents.ts';
import type { AgentIdentity } from '../../src/handoff/desk.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import type { HandoffStore } from '../../src/handoff/handoff-store.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { agentOf, meOf } from './agent-request.ts';
import { audienceOf, type ConsoleDesk, type ConsoleEvent } from './console-events.ts';
import { requestSecret, type AgentSessions } from '../../src/server/auth/agent-sessions.ts';

export interface WorkspaceSocketOptions {
  sessions: Pick<AgentSessions, 'ofRequest' | 'resolve'>;
  desk: ConsoleDesk;
  handoffs: HandoffStore;
  viewers: ViewerRegistry;
  logger: Logger;
  /** Shows the customer that this agent is typing (the web chat; nothing is stored). */
  agentTyping?: (handoff: Handoff, agent: AgentIdentity) => Promise<void>;
}

/** How often an agent's "typing" is passed on to the customer at most. */
const TYPING_EVERY_MS = 2_000;

/** What an agent's socket may say: which conversation they look at (null: none), and that they are typing in one. */
const AgentFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('viewing'), handoffId: z.string().uuid().nullable() }),
  z.object({ type: z.literal('typing'), handoffId: z.string().uuid() }),
]);

/**
 * /agent/api/socket: every console event of the agent's queues as it happens, and who else views a conversation. The
 * upgrade itself is refused (401) without a session.
 */
export async function registerWorkspaceSocket(app: FastifyInstance, options: WorkspaceSocketOptions): Promise<void> {
  const { sessions, desk, viewers, handoffs } = options;
  const signedIn = async (request: FastifyRequest) => void (await agentOf(sessions, request));
  app.get('/agent/api/socket', { websocket: true, preValidation: signedIn }, async (socket: WebSocket, request) => {
    const resolved = await sessions.resolve(requestSecret(request.headers));
    if (!resolved) {
      socket.close(4401, 'sign in first');
      return;
    }
    const agent: Agent = resolved;
    const connection = randomUUID();
    let viewing: Handoff | null = null;
    let typedAt = 0;
    const send = (event: ConsoleEvent | { type: 'ready' | 'error'; [key: string]: unknown }) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(event));
    };
    const stop = await desk.listen((event) => {
      if (agent.queues.includes(audienceOf(event))) send(event);
    });

    const announceViewers = async (changed: Handoff[]) => {
      for (const handoff of changed) {
        await desk.broadcast({ type: 'viewers', handoffId: handoff.id, queue: handoff.queue, agents: await viewers.viewers(handoff.id) });
      }
    };
    const view = async (next: Handoff | null) => {
      const previous = viewing;
      viewing = next;
      const changed = await viewers.view(connection, meOf(agent), previous?.id ?? null, next?.id ?? null);
      await announceViewers([previous, next].filter((h): h is Handoff => h !== null && changed.includes(h.id)));
    };

    socket.on('close', () => {
      stop();
      void view(null).catch((error: unknown) => options.logger.warn({ err: String(error) }, 'agent socket: viewers not updated'));
    });
    socket.on('message', (raw: Buffer) => {
      void handle(raw).catch((error: unknown) => {
        options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'agent socket frame failed');
        send({ type: 'error', error: 'that frame could not be handled' });
      });
    });

    async function handle(raw: Buffer): Promise<void> {
      let frame: z.infer<typeof AgentFrame>;
      try {
        frame = AgentFrame.parse(JSON.parse(raw.toString('utf8')));
      } catch {
        send({ type: 'error', error: 'frames are {type:"viewing",handoffId} or {type:"typing",handoffId}' });
        return;
      }
      const handoff = frame.handoffId ? await mine(agent, frame.handoffId) : null;
      if (frame.handoffId && !handoff) {
        send({ type: 'error', error: 'no such handoff in your queues' });
        return;
      }
      if (frame.type === 'viewing') await view(handoff);
      else if (handoff && handoff.status !== 'resolved' && Date.now() - typedAt >= TYPING_EVERY_MS) {
        typedAt = Date.now();
        await options.agentTyping?.(handoff, meOf(agent));
      }
    }

    async function mine(agent: Agent, handoffId: string): Promise<Handoff | null> {
      const handoff = await handoffs.get(handoffId);
      return handoff && agent.queues.includes(handoff.queue) ? handoff : null;
    }

    send({ type: 'ready', agent: meOf(agent) });
  });
}
