import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { ParleyError } from '../../src/core/errors.ts';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { Logger } from '../../src/infra/logger.ts';
import type { LiveHub } from './live-hub.ts';
import { LocaleTag, toInbound, toWire, WEB_CHANNEL, webAddress, WebClientFrame, WebMessageBody } from './normalize.ts';

export interface WebRoutesOptions {
  inbox: InboxPort;
  hub: LiveHub;
  logger: Logger;
  now?: () => Date;
}

function badRequest(error: z.ZodError): ParleyError {
  const problems = error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  return new ParleyError('BAD_REQUEST', problems.join('; '), { details: problems });
}

const ConversationParams = z.object({ conversationId: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/) });
/** `locale` is the browser's language: the greeting and the flows answer in it unless the customer picks another. */
const SocketQuery = ConversationParams.extend({ locale: LocaleTag.optional().catch(undefined) });

/** The web chat's endpoints: plain HTTP for simple integrations, a WebSocket for the widget. */
export async function registerWebRoutes(app: FastifyInstance, options: WebRoutesOptions): Promise<void> {
  const { inbox, hub, logger } = options;
  const now = options.now ?? (() => new Date());

  app.post('/api/webchat/messages', async (request) => {
    const parsed = WebMessageBody.safeParse(request.body);
    if (!parsed.success) throw badRequest(parsed.error);
    const body = parsed.data;
    const result = await inbox.receive(toInbound(body.conversationId, body, now(), request.ip), {
      onAccepted: (message) => void hub.publish(body.conversationId, { type: 'message', message: toWire(message) }).catch(() => {}),
    });
    return {
      duplicate: result.duplicate,
      replies: result.replies.map((reply) => ({ id: reply.id, text: reply.text ?? '', buttons: reply.buttons })),
    };
  });

  app.get('/api/webchat/conversations/:conversationId/messages', async (request) => {
    const parsed = ConversationParams.safeParse(request.params);
    if (!parsed.success) throw badRequest(parsed.error);
    const messages = await inbox.history(WEB_CHANNEL, parsed.data.conversationId);
    return { messages: messages.map(toWire) };
  });

  app.get('/api/webchat/socket', { websocket: true }, async (socket: WebSocket, request) => {
    const parsed = SocketQuery.safeParse(request.query);
    if (!parsed.success) {
      socket.send(JSON.stringify({ type: 'error', error: 'conversationId is required' }));
      socket.close(1008, 'conversationId is required');
      return;
    }
    const { conversationId, locale } = parsed.data;
    const send = (frame: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    };
    // Buffer frames published while the history is being read, so nothing falls between history and live.
    const early: string[] = [];
    let live = false;
    const unsubscribe = await hub.subscribe(conversationId, (frame) => (live ? send(frame) : early.push(frame)));
    socket.on('close', () => void unsubscribe());
    // Frames of one socket are handled one after another, so the customer's messages keep their order.
    let queue: Promise<void> = Promise.resolve();
    socket.on('message', (raw: Buffer, isBinary: boolean) => {
      queue = queue.then(() => handleFrame(raw, isBinary)).catch((error: unknown) => {
        const code = error instanceof ParleyError ? error.code : 'INTERNAL';
        if (!(error instanceof ParleyError)) logger.error({ err: String(error) }, 'web chat frame failed');
        send({ type: 'error', code, error: error instanceof ParleyError ? error.message : 'Something went wrong' });
      });
    });

    async function handleFrame(raw: Buffer, isBinary: boolean): Promise<void> {
      if (isBinary || raw.length > 64 * 1024) throw new ParleyError('BAD_REQUEST', 'frames must be JSON text of at most 64 KiB');
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new ParleyError('BAD_REQUEST', 'frame is not valid JSON');
      }
      const frame = WebClientFrame.safeParse(json);
      if (!frame.success) throw badRequest(frame.error);
      if (frame.data.type === 'start') {
        await inbox.open(webAddress(conversationId), locale ? { locale } : {});
        return;
      }
      const message = frame.data;
      if ((message.text === undefined || message.text.trim() === '') && message.payload === undefined) {
        throw new ParleyError('BAD_REQUEST', 'text or payload is required');
      }
      await inbox.receive(toInbound(conversationId, locale ? { ...message, locale } : message, now(), request.ip), {
        onAccepted: (accepted) => void hub.publish(conversationId, { type: 'message', message: toWire(accepted) }).catch(() => {}),
      });
      send({ type: 'ack', messageId: message.messageId });
    }

    try {
      const history = await inbox.history(WEB_CHANNEL, conversationId);
      send({ type: 'history', messages: history.map(toWire) });
      const seen = new Set(history.map((m) => m.id));
      for (const frame of early) {
        const parsedFrame = JSON.parse(frame) as { message?: { id?: string } };
        if (!parsedFrame.message?.id || !seen.has(parsedFrame.message.id)) send(frame);
      }
      live = true;
    } catch (error) {
      logger.error({ err: String(error) }, 'web chat history failed');
      socket.close(1011, 'history unavailable');
    }
  });
}
