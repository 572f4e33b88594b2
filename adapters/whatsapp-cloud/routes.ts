import type { FastifyInstance } from 'fastify';
import { hasUnstorableText } from '../../src/core/storable-text.ts';
import { ParleyError } from '../../src/core/errors.ts';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { InboundMessage } from '../../src/core/message.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { normalizeWebhook, WebhookBody, type StatusUpdate } from './normalize.ts';
import { verifySignature, verifyTokenMatches } from './verify.ts';

export const WEBHOOK_PATH = '/webhooks/whatsapp';
/** Meta batches up to 1000 updates in one request; far larger than the 64 KiB the rest of the server accepts. */
const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export interface WhatsAppRoutesOptions {
  verifyToken: string;
  appSecret: string;
  inbox: InboxPort;
  /** Records a status update on the outbound message it is about; false when no message has that wamid. */
  recordStatus: (update: StatusUpdate) => Promise<boolean>;
  logger: Logger;
  now?: () => Date;
}

/**
 * `GET /webhooks/whatsapp`: Meta's verification handshake. `POST /webhooks/whatsapp`: messages and status updates,
 * signed with the app secret over the raw body. The routes live in their own Fastify scope, whose only body parser
 * keeps the raw bytes, so the signature is checked before anything is parsed and other routes keep their JSON parser.
 */
export async function registerWhatsAppRoutes(app: FastifyInstance, options: WhatsAppRoutesOptions): Promise<void> {
  const { inbox, logger } = options;
  const now = options.now ?? (() => new Date());

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

    scope.get(WEBHOOK_PATH, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const challenge = query['hub.challenge'];
      const ok =
        query['hub.mode'] === 'subscribe' &&
        verifyTokenMatches(query['hub.verify_token'], options.verifyToken) &&
        typeof challenge === 'string' &&
        /^[A-Za-z0-9_.-]{1,256}$/.test(challenge);
      if (!ok) return reply.status(403).type('text/plain').send('forbidden');
      return reply.status(200).type('text/plain').send(challenge);
    });

    scope.post(WEBHOOK_PATH, { bodyLimit: WEBHOOK_BODY_LIMIT }, async (request) => {
      const raw = request.body;
      const signature = request.headers['x-hub-signature-256'];
      if (!Buffer.isBuffer(raw) || !verifySignature(raw, typeof signature === 'string' ? signature : undefined, options.appSecret)) {
        throw new ParleyError('UNAUTHORIZED', 'X-Hub-Signature-256 does not match the body');
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ParleyError('BAD_REQUEST', 'body is not valid JSON');
      }
      if (hasUnstorableText(json)) throw new ParleyError('BAD_REQUEST', 'body contains a NUL character or a lone surrogate');
      const parsed = WebhookBody.safeParse(json);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
        throw new ParleyError('BAD_REQUEST', `not a WhatsApp webhook: ${problems.slice(0, 5).join('; ')}`, { details: problems.slice(0, 20) });
      }
      const events = normalizeWebhook(parsed.data, now());
      // In delivery order, one after another: the inbox runs a conversation's turns in the order it accepted them.
      for (const message of events.messages) await accept(message);
      let unmatched = 0;
      for (const update of events.statuses) if (!(await options.recordStatus(update))) unmatched++;
      if (unmatched > 0) logger.debug({ unmatched }, 'WhatsApp status updates for messages Parley does not know');
      return { messages: events.messages.length, statuses: events.statuses.length };
    });
  });

  /**
   * Resolves once the inbox has stored the message (or found it a duplicate): Meta wants its 200 within seconds,
   * and a stored message is answered even if this process dies before its turn ends (the inbox recovers it).
   */
  function accept(message: InboundMessage): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let accepted = false;
      inbox
        .receive(message, {
          onAccepted: () => {
            accepted = true;
            resolve();
          },
        })
        .then(
          () => resolve(),
          (error: unknown) => {
            if (accepted) logger.error({ err: error instanceof Error ? error.message : String(error) }, 'WhatsApp message turn failed');
            reject(error);
          },
        );
    });
  }
}
