/** Canned responses in the workspace: agents list and render those of their queues; admins manage them. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { renderCanned, type CannedStore } from '../../src/agent-workspace/canned-responses.ts';
import { ParleyError } from '../../src/core/errors.ts';
import type { HandoffStore } from '../../src/handoff/handoff-store.ts';
import { agentOf, parse, visibleHandoff } from './agent-request.ts';
import type { AgentSessions } from '../../src/server/auth/agent-sessions.ts';

export interface CannedRoutesOptions {
  canned: CannedStore;
  handoffs: HandoffStore;
  sessions: Pick<AgentSessions, 'ofRequest'>;
}

const CannedBody = z.strictObject({
  queue: z.string().trim().min(1).max(64).nullable(),
  shortcut: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a shortcut is 1–32 lower-case letters, digits, _ or -'),
  title: z.string().trim().min(1).max(100),
  text: z.string().trim().min(1).max(4000),
});
const CannedId = z.object({ id: z.string().uuid() });
const RenderParams = z.object({ id: z.string().uuid(), cannedId: z.string().uuid() });

export async function registerCannedRoutes(app: FastifyInstance, options: CannedRoutesOptions): Promise<void> {
  const { canned, sessions } = options;
  const admin = async (request: Parameters<typeof agentOf>[1]) => {
    const agent = await agentOf(sessions, request);
    if (agent.admin !== true) throw new ParleyError('FORBIDDEN', 'only admins manage canned responses');
    return agent;
  };

  app.get('/agent/api/canned', async (request) => {
    const agent = await agentOf(sessions, request);
    const { queue } = parse(z.object({ queue: z.string().min(1).max(64).optional() }).strict(), request.query);
    const queues = queue === undefined ? agent.queues : agent.queues.filter((q) => q === queue);
    return { canned: await canned.forQueues(queues) };
  });

  app.post('/agent/api/canned', async (request, reply) => {
    const agent = await admin(request);
    return reply.status(201).send({ canned: await canned.create(parse(CannedBody, request.body), agent.id) });
  });

  app.put('/agent/api/canned/:id', async (request) => {
    const agent = await admin(request);
    return { canned: await canned.update(parse(CannedId, request.params).id, parse(CannedBody, request.body), agent.id) };
  });

  app.delete('/agent/api/canned/:id', async (request, reply) => {
    await admin(request);
    await canned.remove(parse(CannedId, request.params).id);
    return reply.status(204).send();
  });

  app.post('/agent/api/handoffs/:id/canned/:cannedId/render', async (request) => {
    const agent = await agentOf(sessions, request);
    const params = parse(RenderParams, request.params);
    const handoff = await visibleHandoff(options.handoffs, agent, params.id);
    const response = await canned.get(params.cannedId);
    if (!response || (response.queue !== null && response.queue !== handoff.queue)) throw new ParleyError('NOT_FOUND', 'no such canned response for this queue');
    const { context } = handoff;
    return renderCanned(response.text, {
      customerName: context.customer.name, language: context.customer.locale, agentName: agent.name, queue: handoff.queue, vars: context.flow.vars,
    });
  });
}
