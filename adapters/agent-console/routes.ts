import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ParleyError } from '../../src/core/errors.ts';
import type { CannedStore } from '../../src/agent-workspace/canned-responses.ts';
import type { ViewerRegistry } from '../../src/agent-workspace/viewers.ts';
import type { Agent } from '../../src/handoff/agents.ts';
import type { HandoffService } from '../../src/handoff/handoff-service.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { PAGE_CSP } from '../../src/server/security-headers.ts';
import { agentOf as agentOfRequest, meOf, parse, visibleHandoff } from './agent-request.ts';
import type { ConsoleDesk } from './console-events.ts';
import { deliveryStates, handoffView } from './handoff-view.ts';
import { AgentSessions, requestSecret, SESSION_COOKIE, tooManyAttempts, type Credentials } from '../../src/server/auth/agent-sessions.ts';
import type { SignInThrottle } from '../../src/server/auth/sign-in-throttle.ts';
import { registerCannedRoutes } from './canned-routes.ts';
import { registerWorkspaceApi, type WorkspaceApiOptions } from './workspace-routes.ts';
import { registerWorkspaceSocket, type WorkspaceSocketOptions } from './workspace-socket.ts';
import { registerSignInPage } from './sign-in-page.ts';
import { registerWorkspacePage } from './workspace-page.ts';

export interface AgentConsoleOptions {
  service: HandoffService;
  sessions: AgentSessions;
  throttle: SignInThrottle;
  desk: ConsoleDesk;
  logger: Logger;
  /** The workspace's parts (notes, assignment, canned responses, viewers, suggestions). */
  workspace: WorkspaceParts;
}

/** What the workspace's routes need beyond the console's own parts. */
export type WorkspaceParts = Omit<WorkspaceApiOptions, 'service' | 'sessions' | 'desk'> & {
  canned: CannedStore;
  viewers: ViewerRegistry;
  agentTyping?: WorkspaceSocketOptions['agentTyping'];
};

const publicDir = new URL('./public/', import.meta.url);
/** The short notice pages' stylesheet (not an editor, not built yet): Parley's design tokens and the card they show. */
const NOTICE_CSS = `${readFileSync(new URL('../../src/ui/tokens.css', import.meta.url), 'utf8')}\n${readFileSync(new URL('notice.css', publicDir), 'utf8')}`;

const LoginBody = z.union([
  z.strictObject({ id: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
  z.strictObject({ token: z.string().min(1).max(512) }),
]);
const Id = z.object({ id: z.string().uuid() });
const ReplyBody = z.strictObject({ messageId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/), text: z.string().min(1).max(4000) });
const ResolveBody = z.strictObject({ outcome: z.string().min(1).max(500) });

/**
 * The web agent console at /agent. Everything but the sign-in page answers only with a valid session (the
 * HttpOnly cookie, or `Authorization: Bearer <session or agent token>`); agents see only their queues.
 */
export async function registerAgentConsole(app: FastifyInstance, options: AgentConsoleOptions): Promise<void> {
  const { service, sessions, throttle, desk } = options;
  const html = (reply: FastifyReply, body: string, type = 'text/html; charset=utf-8') =>
    reply.header('content-type', type).header('cache-control', 'no-store').header('x-frame-options', 'DENY')
      .header('content-security-policy', PAGE_CSP).send(body);

  const agentOf = (request: FastifyRequest) => agentOfRequest(sessions, request);
  const visible = (agent: Agent, id: string) => visibleHandoff(service.handoffs, agent, id);
  const me = meOf;

  // The sign-in page (React, built into dist/sign-in), and the notices' stylesheet: served to anyone.
  await registerSignInPage(app);
  app.get('/agent/notice.css', (_request, reply) => html(reply, NOTICE_CSS, 'text/css; charset=utf-8'));

  app.post('/agent/login', async (request, reply) => {
    const credentials = parse(LoginBody, request.body) as Credentials;
    const attempt = { ...('id' in credentials ? { agentId: credentials.id } : {}), address: request.ip };
    const waitMs = await throttle.admit(attempt);
    if (waitMs > 0) {
      options.logger.warn({ agentId: attempt.agentId, address: attempt.address }, 'agent sign-in refused: too many failed attempts');
      throw tooManyAttempts(waitMs);
    }
    const agent = await sessions.check(credentials);
    if (!agent) throw new ParleyError('UNAUTHORIZED', 'unknown agent or wrong password');
    await throttle.succeeded(attempt);
    const session = await sessions.open(agent);
    const secure = request.protocol === 'https' ? '; Secure' : '';
    reply.header('set-cookie', `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${sessions.ttlSeconds}${secure}`);
    return { agent: { ...me(agent), queues: agent.queues } };
  });

  app.post('/agent/logout', async (request, reply) => {
    const secret = requestSecret(request.headers);
    if (secret) await sessions.close(secret);
    reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  });

  // The workspace's page and its bundle (a browser without a session is sent to the sign-in page).
  await registerWorkspacePage(app, { sessions });

  app.get('/agent/api/me', async (request) => {
    const agent = await agentOf(request);
    const available = (await options.workspace.availability.available([agent.id])).has(agent.id);
    return { agent: { ...me(agent), queues: agent.queues, available } };
  });

  // Polled by the console while a handoff is open: sent / delivered / read / failed (why) / waiting (why).
  app.get('/agent/api/handoffs/:id/delivery', async (request) => {
    const agent = await agentOf(request);
    const handoff = await visible(agent, parse(Id, request.params).id);
    return { delivery: await deliveryStates(service.store, service.handoffs, handoff.conversationId) };
  });

  app.post('/agent/api/handoffs/:id/claim', async (request) => {
    const agent = await agentOf(request);
    const handoff = await visible(agent, parse(Id, request.params).id);
    return { handoff: handoffView(await service.claim(handoff.id, me(agent))) };
  });

  app.post('/agent/api/handoffs/:id/replies', async (request) => {
    const agent = await agentOf(request);
    const handoff = await visible(agent, parse(Id, request.params).id);
    const body = parse(ReplyBody, request.body);
    const { message, duplicate } = await service.reply(handoff.id, me(agent), `console:${body.messageId}`, body.text, 'console');
    return { duplicate, message: { id: message.id, text: message.text, status: message.status } };
  });

  app.post('/agent/api/handoffs/:id/resolve', async (request) => {
    const agent = await agentOf(request);
    const handoff = await visible(agent, parse(Id, request.params).id);
    return { handoff: handoffView(await service.resolve(handoff.id, me(agent), parse(ResolveBody, request.body).outcome)) };
  });

  await registerWorkspaceApi(app, { service, sessions, desk, ...options.workspace });
  await registerCannedRoutes(app, { canned: options.workspace.canned, handoffs: service.handoffs, sessions });
  await registerWorkspaceSocket(app, {
    sessions, desk, handoffs: service.handoffs, viewers: options.workspace.viewers, logger: options.logger,
    ...(options.workspace.agentTyping ? { agentTyping: options.workspace.agentTyping } : {}),
  });
}
