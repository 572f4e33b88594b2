import type { Activity, CloudAdapter, Request as BotRequest, Response as BotResponse } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../../src/core/errors.ts';
import { hasUnstorableText } from '../../src/core/storable-text.ts';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { ActivityFields, BOTFRAMEWORK_CHANNEL, greetingOf, handoffStatusOf, referenceOf, toInbound } from './normalize.ts';
import type { ReferenceStore } from './send.ts';

export interface BotFrameworkRoutesOptions {
  adapter: CloudAdapter;
  inbox: InboxPort;
  references: ReferenceStore;
  logger: Logger;
  /** Receives `handoff.status` events (BotFrameworkDesk); absent when no agent desk is configured. */
  handoffStatus?: (conversationId: string, state: string, message?: string) => Promise<void>;
  now?: () => Date;
}

/** Activities are larger than web chat frames (entities, channelData, Teams tenant info). */
const BODY_LIMIT = 512 * 1024;

/**
 * The restify/express-shaped response CloudAdapter.process writes to, recorded so that the route answers through
 * Fastify (and its error handler) rather than the adapter writing to the socket.
 */
class RecordedResponse implements BotResponse {
  socket: unknown = null;
  statusCode = 200;
  body: unknown;
  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  header(): this {
    return this;
  }
  send(body?: unknown): this {
    this.body = body;
    return this;
  }
  end(): this {
    return this;
  }
}

/**
 * `POST /api/messages`, the Bot Framework messaging endpoint. CloudAdapter authenticates the request (with an app id
 * set, the Bot Framework token; without, the Emulator's unauthenticated traffic is accepted) before any of it is
 * read, then each activity is translated and handed to the inbox. Replies do not go back in this HTTP response: the
 * outbox sends them through the stored conversation reference.
 */
export async function registerBotFrameworkRoutes(app: FastifyInstance, options: BotFrameworkRoutesOptions): Promise<void> {
  const { adapter, inbox, references, logger } = options;
  const now = options.now ?? (() => new Date());

  async function handle(activity: Partial<Activity>): Promise<void> {
    const fields = ActivityFields.safeParse(activity);
    if (!fields.success) {
      const problems = fields.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.')}: ${issue.message}`);
      throw new ParleyError('BAD_REQUEST', `not a Bot Framework activity: ${problems.join('; ')}`, { details: problems });
    }
    if (hasUnstorableText(activity)) throw new ParleyError('BAD_REQUEST', 'not a Bot Framework activity: it contains a NUL character or a lone surrogate');
    const reference = referenceOf(activity);
    if (!reference || !activity.conversation?.id) return;
    const conversationId = activity.conversation.id;
    const inbound = toInbound(activity, now());
    const greeting = inbound ? undefined : greetingOf(activity);
    const status = inbound || greeting ? undefined : handoffStatusOf(activity);
    if (!inbound && !greeting && !status) {
      logger.debug({ type: activity.type, name: activity.name }, 'Bot Framework activity ignored');
      return;
    }
    // Kept before the turn runs: its replies are sent through it.
    await references.save(BOTFRAMEWORK_CHANNEL, conversationId, reference);
    if (inbound) await inbox.receive(inbound);
    else if (greeting) await inbox.open(greeting.address, { ...(greeting.locale ? { locale: greeting.locale } : {}), ...(greeting.profile ? { profile: greeting.profile } : {}) });
    else if (status) {
      if (options.handoffStatus) await options.handoffStatus(conversationId, status.state, status.message);
      else logger.info({ state: status.state }, 'handoff.status received, but no agent desk is configured');
    }
  }

  app.post('/api/messages', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const response = new RecordedResponse();
    let failure: unknown;
    const req: BotRequest = { method: 'POST', headers: request.headers as BotRequest['headers'], body: request.body as BotRequest['body'] };
    try {
      await adapter.process(req, response, async (context) => {
        // Caught here so that the adapter neither logs it to the console nor answers a bare 500: Fastify maps it.
        try {
          await handle(context.activity);
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      // Authentication and the turn's own errors are handled inside process(); what escapes it is the adapter
      // refusing the body (its zod parse, validateAndFixActivity), before anything was read or stored.
      throw new ParleyError('BAD_REQUEST', 'not a Bot Framework activity', { cause: error });
    }
    if (failure !== undefined) throw failure;
    if (response.statusCode === 401) throw new ParleyError('UNAUTHORIZED', 'Bot Framework authentication failed');
    if (response.statusCode === 400) throw new ParleyError('BAD_REQUEST', typeof response.body === 'string' ? response.body : 'not a Bot Framework activity');
    reply.code(response.statusCode);
    return response.body ?? '';
  });
}
