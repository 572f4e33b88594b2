/**
 * The agent workspace's API (issue 17; the contract is docs/agent-workspace.md): the list with tabs, filters, search
 * and unread counts; a conversation's transcript with notices and private notes, and its sidebar; read markers,
 * notes, assignment, transfer, availability, the agents, suggestions. Canned responses: canned-routes.ts; the
 * socket: workspace-socket.ts.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AutoAssigner } from '../../src/agent-workspace/auto-assign.ts';
import type { AvailabilityStore } from '../../src/agent-workspace/availability.ts';
import { LIST_TABS } from '../../src/agent-workspace/handoff-list.ts';
import type { WorkspaceRepository } from '../../src/agent-workspace/repository.ts';
import { suggestFor, type SuggestionSource } from '../../src/agent-workspace/latest-question.ts';
import { MAX_NOTE, type NoteStore } from '../../src/agent-workspace/notes.ts';
import { buildSidebar, type CustomerRecordLookup } from '../../src/agent-workspace/sidebar.ts';
import { workspaceTranscript } from '../../src/agent-workspace/transcript.ts';
import { ParleyError } from '../../src/core/errors.ts';
import type { Agent } from '../../src/handoff/agents.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import type { HandoffService } from '../../src/handoff/handoff-service.ts';
import { agentOf, meOf, parse, visibleHandoff } from './agent-request.ts';
import type { ConsoleDesk } from './console-events.ts';
import { deliveryStates, handoffView } from './handoff-view.ts';
import { detectLanguage } from '../../src/understanding/language.ts';
import type { AgentSessions } from '../../src/server/auth/agent-sessions.ts';

export interface WorkspaceApiOptions {
  service: HandoffService;
  sessions: Pick<AgentSessions, 'ofRequest'>;
  desk: ConsoleDesk;
  /** The console's agents (AGENTS). */
  agents: readonly Agent[];
  /** Every queue a handoff may be transferred to (the agents' queues, the default queue, the routes' queues). */
  queues: readonly string[];
  /** The workspace's repository (src/agent-workspace/repository.ts). */
  repository: WorkspaceRepository;
  /** The customer's profile and consent, from the customers module (its `customerRecord` service). */
  customerRecord: CustomerRecordLookup;
  notes: NoteStore;
  availability: AvailabilityStore;
  /** Present when some queue assigns automatically (HANDOFF_AUTO_ASSIGN). */
  assigner?: AutoAssigner;
  /** Present when there is a knowledge base to suggest from. */
  suggestions?: SuggestionSource;
}

const Id = z.object({ id: z.string().uuid() });
const Word = z.string().trim().min(1).max(64);
const ListQuery = z.object({
  tab: z.enum(LIST_TABS).default('open'),
  queue: Word.optional(),
  channel: Word.optional(),
  language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'a language tag like de or en-GB').optional(),
  q: z.string().max(200).optional(),
}).strict();
const NoteBody = z.strictObject({ text: z.string().trim().min(1).max(MAX_NOTE) });
const AssignBody = z.strictObject({ agentId: z.string().min(1).max(64) });
const TransferBody = z.strictObject({ queue: Word, note: z.string().trim().min(1).max(MAX_NOTE).optional() });
const AvailabilityBody = z.strictObject({ available: z.boolean() });
const DraftBody = z.strictObject({ text: z.string().min(1).max(4000) });

export async function registerWorkspaceApi(app: FastifyInstance, options: WorkspaceApiOptions): Promise<void> {
  const { service, sessions, desk, notes, repository } = options;
  const byId = new Map(options.agents.map((agent) => [agent.id, agent]));
  const nameOf = (agentId: string) => byId.get(agentId)?.name ?? agentId;
  const signedIn = (request: Parameters<typeof agentOf>[1]) => agentOf(sessions, request);
  const visible = (agent: Agent, params: unknown) => visibleHandoff(service.handoffs, agent, parse(Id, params).id);

  app.get('/agent/api/handoffs', async (request) => {
    const agent = await signedIn(request);
    const query = parse(ListQuery, request.query);
    const listed = await repository.list({ agentId: agent.id, queues: agent.queues, ...query });
    return {
      handoffs: listed.map(({ handoff, customerName, unread, lastMessageAt, preview }) => ({
        ...handoffView(handoff),
        customer: { name: customerName ?? handoff.context.customer.name, channel: handoff.context.channel.id, language: handoff.context.customer.locale },
        assignee: handoff.agentId ? { id: handoff.agentId, name: handoff.agentName ?? nameOf(handoff.agentId) } : null,
        unread, lastMessageAt, preview,
      })),
      counts: await repository.counts(agent.id, agent.queues),
      now: new Date().toISOString(),
    };
  });

  app.get('/agent/api/handoffs/:id', async (request) => {
    const agent = await signedIn(request);
    const handoff = await visible(agent, request.params);
    const conversationId = handoff.conversationId;
    const entries = await workspaceTranscript(service.store, service.handoffs, conversationId, await notes.ofConversation(conversationId), nameOf);
    const delivery = await deliveryStates(service.store, service.handoffs, conversationId);
    const transcript = entries.map((entry) => (delivery[entry.id] ? { ...entry, delivery: delivery[entry.id] } : entry));
    const position = handoff.status === 'waiting' ? await service.handoffs.position(handoff) : null;
    return { handoff: handoffView(handoff), context: handoff.context, transcript, sidebar: await buildSidebar(repository, options.customerRecord, handoff), position, now: new Date().toISOString() };
  });

  app.post('/agent/api/handoffs/:id/read', async (request, reply) => {
    const agent = await signedIn(request);
    await repository.markRead(await visible(agent, request.params), agent.id);
    return reply.status(204).send();
  });

  app.post('/agent/api/handoffs/:id/notes', async (request, reply) => {
    const agent = await signedIn(request);
    const handoff = await visible(agent, request.params);
    const note = await notes.add(handoff, meOf(agent), parse(NoteBody, request.body).text);
    await desk.broadcast({ type: 'note', handoffId: handoff.id, queue: handoff.queue, note });
    return reply.status(201).send({ id: note.id, text: note.text, at: note.at, by: note.by });
  });

  app.post('/agent/api/handoffs/:id/assign', async (request) => {
    const agent = await signedIn(request);
    const handoff = await visible(agent, request.params);
    const target = byId.get(parse(AssignBody, request.body).agentId);
    if (!target || !target.queues.includes(handoff.queue)) throw new ParleyError('BAD_REQUEST', `agentId: no agent of the queue ${handoff.queue} has that id`);
    return { handoff: handoffView(await service.assign(handoff.id, meOf(target))) };
  });

  app.post('/agent/api/handoffs/:id/transfer', async (request) => {
    const agent = await signedIn(request);
    const handoff = await visible(agent, request.params);
    const body = parse(TransferBody, request.body);
    if (!options.queues.includes(body.queue)) throw new ParleyError('BAD_REQUEST', `queue: no queue is called ${body.queue}`);
    if (body.note) {
      const note = await notes.add(handoff, meOf(agent), body.note);
      await desk.broadcast({ type: 'note', handoffId: handoff.id, queue: handoff.queue, note });
    }
    const moved = await service.transfer(handoff.id, body.queue);
    if (moved.queue !== handoff.queue) await desk.broadcast({ type: 'transferred', handoffId: handoff.id, queue: handoff.queue, to: moved.queue });
    return { handoff: handoffView(moved) };
  });

  app.put('/agent/api/me/availability', async (request) => {
    const agent = await signedIn(request);
    const { available } = parse(AvailabilityBody, request.body);
    await options.availability.set(agent.id, available);
    if (available && options.assigner) for (const queue of agent.queues) await options.assigner.fill(queue);
    return { available };
  });

  app.get('/agent/api/agents', async (request) => {
    await signedIn(request);
    const working = options.agents.filter((agent) => agent.queues.length > 0);
    const available = await options.availability.available(working.map((agent) => agent.id));
    return { agents: working.map((agent) => ({ id: agent.id, name: agent.name, available: available.has(agent.id), queues: agent.queues })) };
  });

  // Before sending: whether the draft is in another language than the customer's (English and German are told apart).
  app.post('/agent/api/handoffs/:id/language-check', async (request) => {
    const agent = await signedIn(request);
    const handoff = await visible(agent, request.params);
    const { text } = parse(DraftBody, request.body);
    const customer = handoff.context.customer.locale?.slice(0, 2).toLowerCase() ?? null;
    const reply = detectLanguage(text) ?? null;
    return { customerLanguage: customer, replyLanguage: reply, differs: customer !== null && reply !== null && customer !== reply };
  });

  app.get('/agent/api/handoffs/:id/suggestions', async (request) => {
    const agent = await signedIn(request);
    const handoff: Handoff = await visible(agent, request.params);
    if (!options.suggestions) return { question: null, suggestions: [] };
    return suggestFor(options.suggestions, handoff);
  });
}
