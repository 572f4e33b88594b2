import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ParleyError } from '../../src/core/errors.ts';
import type { Agent } from '../../src/handoff/agents.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import type { HandoffStore } from '../../src/handoff/handoff-store.ts';
import type { AgentSessions } from '../../src/server/auth/agent-sessions.ts';

/** The value, checked; BAD_REQUEST naming each problem otherwise. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ParleyError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** The signed-in agent of the request; UNAUTHORIZED without one. */
export async function agentOf(sessions: Pick<AgentSessions, 'ofRequest'>, request: FastifyRequest): Promise<Agent> {
  const agent = await sessions.ofRequest(request);
  if (!agent) throw new ParleyError('UNAUTHORIZED', 'sign in first');
  return agent;
}

/** The handoff, when it is in one of the agent's queues; NOT_FOUND otherwise (whether or not it exists). */
export async function visibleHandoff(handoffs: HandoffStore, agent: Agent, id: string): Promise<Handoff> {
  const handoff = await handoffs.get(id);
  if (!handoff || !agent.queues.includes(handoff.queue)) throw new ParleyError('NOT_FOUND', 'no such handoff in your queues');
  return handoff;
}

/** The agent as the API shows them. */
export const meOf = (agent: Agent) => ({ id: agent.id, name: agent.name, admin: agent.admin === true });
