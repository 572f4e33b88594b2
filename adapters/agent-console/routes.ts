import type {} from '@fastify/websocket';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { ParleyError } from '../../src/core/errors.ts';
import type { KnowledgePort } from '../../src/core/knowledge-port.ts';
import type { Agent } from '../../src/handoff/agents.ts';
import { transcriptLines } from '../../src/handoff/build-context.ts';
import type { Handoff } from '../../src/handoff/handoff-rows.ts';
import type { HandoffService } from '../../src/handoff/handoff-service.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { PAGE_CSP } from '../../src/server/security-headers.ts';
import type { ConsoleDesk, ConsoleEvent } from './console-events.ts';
import { deliveryStates, handoffView } from './handoff-view.ts';
import { AgentSessions, requestSecret, SESSION_COOKIE, tooManyAttempts, type Credentials } from './sessions.ts';
import type { SignInThrottle } from './sign-in-throttle.ts';

export interface AgentConsoleOptions {
  service: HandoffService;
  sessions: AgentSessions;
  throttle: SignInThrottle;
  desk: ConsoleDesk;
  logger: Logger;
  /** Suggested answers for the customer's last question; absent: none are shown. */
  knowledge?: KnowledgePort;
}

const publicDir = new URL('./public/', import.meta.url);
const asset = (name: string) => readFileSync(new URL(name, publicDir), 'utf8');
const PAGES = { login: asset('login.html'), console: asset('console.html'), js: asset('console.js'), css: asset('console.css') };
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
/** What the sign-in page needs, served to anyone. */
const LOGIN_ASSETS = [['/agent/login.js', asset('login.js'), JS], ['/agent/next-path.js', asset('next-path.js'), JS], ['/agent/login.css', asset('login.css'), CSS]] as const;

const LoginBody = z.union([
  z.strictObject({ id: z.string().min(1).max(64), password: z.string().min(1).max(1024) }),
  z.strictObject({ token: z.string().min(1).max(512) }),
]);
const Id = z.object({ id: z.string().uuid() });
const ReplyBody = z.strictObject({ messageId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/), text: z.string().min(1).max(4000) });
const ResolveBody = z.strictObject({ outcome: z.string().min(1).max(500) });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ParleyError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

/**
 * The web agent console at /agent. Everything but the sign-in page answers only with a valid session (the
 * HttpOnly cookie, or `Authorization: Bearer <session or agent token>`); agents see only their queues.
 */
export async function registerAgentConsole(app: FastifyInstance, options: AgentConsoleOptions): Promise<void> {
  const { service, sessions, throttle, desk } = options;
  const html = (reply: FastifyReply, body: string, type = 'text/html; charset=utf-8') =>
    reply.header('content-type', type).header('cache-control', 'no-store').header('x-frame-options', 'DENY')
      .header('content-security-policy', PAGE_CSP).send(body);

  async function agentOf(request: FastifyRequest): Promise<Agent> {
    const agent = await sessions.ofRequest(request);
    if (!agent) throw new ParleyError('UNAUTHORIZED', 'sign in first');
    return agent;
  }

  async function visible(agent: Agent, id: string): Promise<Handoff> {
    const handoff = await service.handoffs.get(id);
    if (!handoff || !agent.queues.includes(handoff.queue)) throw new ParleyError('NOT_FOUND', 'no such handoff in your queues');
    return handoff;
  }

  const me = (agent: Agent) => ({ id: agent.id, name: agent.name, admin: agent.admin === true });

  app.get('/agent/login', (_request, reply) => html(reply, PAGES.login));
  for (const [path, body, type] of LOGIN_ASSETS) app.get(path, (_request, reply) => html(reply, body, type));

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

  // Pages: a browser without a session is sent to the sign-in page; nothing of the console is served to it.
  for (const [path, body, type] of [['/agent', PAGES.console, undefined], ['/agent/console.js', PAGES.js, JS], ['/agent/console.css', PAGES.css, CSS]] as const) {
    app.get(path, async (request, reply) => {
      const agent = await sessions.ofRequest(request);
      if (!agent) return path === '/agent' ? reply.redirect('/agent/login', 303) : reply.status(401).send({ error: { code: 'UNAUTHORIZED', message: 'sign in first' } });
      return html(reply, body, type);
    });
  }

  app.get('/agent/api/me', async (request) => {
    const agent = await agentOf(request);
    return { agent: { ...me(agent), queues: agent.queues } };
  });

  app.get('/agent/api/handoffs', async (request) => {
    const agent = await agentOf(request);
    const open = await service.handoffs.listOpen(agent.queues);
    return { handoffs: open.map(handoffView), now: new Date().toISOString() };
  });

  app.get('/agent/api/handoffs/:id', async (request) => {
    const agent = await agentOf(request);
    const handoff = await visible(agent, parse(Id, request.params).id);
    const transcript = await transcriptLines(service.store, service.handoffs, handoff.conversationId);
    const position = handoff.status === 'waiting' ? await service.handoffs.position(handoff) : null;
    const delivery = await deliveryStates(service.store, service.handoffs, handoff.conversationId);
    const lines = transcript.map((line) => (delivery[line.id] ? { ...line, delivery: delivery[line.id] } : line));
    return { handoff: handoffView(handoff), context: handoff.context, transcript: lines, position, now: new Date().toISOString() };
  });

  // Polled by the console while a handoff is open: sent / delivered / read / failed (why) / waiting (why).
  app.get('/agent/api/handoffs/:id/delivery', async (request) => {
    const agent = await agentOf(request);
    const handoff = await visible(agent, parse(Id, request.params).id);
    return { delivery: await deliveryStates(service.store, service.handoffs, handoff.conversationId) };
  });

  app.get('/agent/api/handoffs/:id/suggestions', async (request) => {
    const agent = await agentOf(request);
    const handoff = await visible(agent, parse(Id, request.params).id);
    const transcript = await transcriptLines(service.store, service.handoffs, handoff.conversationId, 50);
    const question = transcript.filter((line) => line.from === 'customer' && line.payload === undefined && line.text.trim()).at(-1)?.text;
    if (!question || !options.knowledge) return { question: question ?? null, suggestions: [] };
    const locale = handoff.context.customer.locale;
    const found = await options.knowledge.answer(question, locale ? { locale } : {}).catch(() => undefined);
    const suggestions = [
      ...(found?.answer ? [{ text: found.answer, source: found.sources.join(', '), score: found.confidence }] : []),
      ...(found?.results ?? []).slice(0, 3).map((hit) => ({ text: hit.passage, source: hit.title, score: hit.score })),
    ];
    return { question, suggestions };
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

  // The upgrade itself is refused (401) without a session.
  const signedIn = async (request: FastifyRequest) => void (await agentOf(request));
  app.get('/agent/api/socket', { websocket: true, preValidation: signedIn }, async (socket: WebSocket, request) => {
    const agent = await sessions.resolve(requestSecret(request.headers));
    if (!agent) {
      socket.close(4401, 'sign in first');
      return;
    }
    const send = (event: ConsoleEvent) => {
      if (socket.readyState === socket.OPEN && agent.queues.includes(event.type === 'handoff' ? event.handoff.queue : event.queue)) socket.send(JSON.stringify(event));
    };
    const stop = await desk.listen(send);
    socket.on('close', stop);
    socket.on('message', () => {});
    socket.send(JSON.stringify({ type: 'ready', agent: me(agent) }));
  });
}
