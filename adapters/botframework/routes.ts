import type { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { FastifyInstance } from 'fastify';
import type { BotFrameworkConfig } from './config.ts';
import { ParleyError } from '../../src/core/errors.ts';
import { hasUnstorableText } from '../../src/core/storable-text.ts';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { ActivityFields, BOTFRAMEWORK_CHANNEL, greetingOf, handoffStatusOf, referenceOf, toInbound } from './normalize.ts';
import type { ReferenceStore } from './send.ts';
import { isLoopbackHost, serviceUrlAllowed } from './verify.ts';

type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

export interface BotFrameworkRoutesOptions {
  adapter: CloudAdapter;
  /** The adapter's authentication: checks a request's token (or, without an app id, lets the Emulator in). */
  auth: ConfigurationBotFrameworkAuthentication;
  /** The app id, Emulator mode and the channel services' hosts. */
  settings: BotFrameworkConfig;
  inbox: InboxPort;
  references: ReferenceStore;
  logger: Logger;
  /** Receives `handoff.status` events (BotFrameworkDesk); absent when no agent desk is configured. */
  handoffStatus?: (conversationId: string, state: string, message?: string) => Promise<void>;
  now?: () => Date;
}

/** Activities are larger than web chat frames (entities, channelData, Teams tenant info). */
const BODY_LIMIT = 512 * 1024;

/** The first words of a refused token's reason, for one log line: no stack, nothing long an attacker chose. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!.slice(0, 160);
}

/**
 * `POST /api/messages`, the Bot Framework messaging endpoint. In order: the body must be an activity with every field
 * the schema requires of a channel (400 naming the missing ones); the request is authenticated (with an app id, the
 * Bot Framework token, else 401; without one, Emulator mode, only from this machine); the serviceUrl must be a
 * channel service's, or loopback in Emulator mode (403). Only then is anything stored or the turn run. Replies do not
 * go back in this HTTP response: the outbox sends them through the stored conversation reference.
 */
export async function registerBotFrameworkRoutes(app: FastifyInstance, options: BotFrameworkRoutesOptions): Promise<void> {
  const { adapter, auth, settings, inbox, references, logger } = options;
  const now = options.now ?? (() => new Date());

  async function handle(activity: Partial<Activity>): Promise<void> {
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
    const fields = ActivityFields.safeParse(request.body);
    if (!fields.success) {
      const problems = fields.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
      throw new ParleyError('BAD_REQUEST', `not a Bot Framework activity: ${problems.join('; ')}`, { details: problems });
    }
    const activity = request.body as Activity;
    if (!settings.appId && !isLoopbackHost(request.ip)) {
      // Emulator mode is unauthenticated: only the Emulator on this machine may use it.
      throw new ParleyError('FORBIDDEN', 'the Bot Framework Emulator is accepted only from this machine');
    }
    const header = request.headers.authorization ?? '';
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await auth.authenticateRequest(activity, header);
    } catch (error) {
      // A forged, expired or foreign token, or one whose signing key cannot be fetched: the body says no more.
      logger.warn({ reason: reasonOf(error) }, 'Bot Framework request refused: its token could not be verified');
      throw new ParleyError('UNAUTHORIZED', 'Bot Framework authentication failed');
    }
    if (!serviceUrlAllowed(activity.serviceUrl, settings)) {
      throw new ParleyError('FORBIDDEN', 'the activity\'s serviceUrl is not a Bot Framework channel service Parley replies to (BOTFRAMEWORK_SERVICE_URL_HOSTS)');
    }
    let failure: unknown;
    await adapter.processActivityDirect(authenticated, activity, async (context) => {
      // Caught here so that the adapter neither logs it to the console nor answers a bare 500: Fastify maps it.
      try {
        await handle(context.activity);
      } catch (error) {
        failure = error;
      }
    });
    if (failure !== undefined) throw failure;
    reply.code(200);
    return '';
  });
}
