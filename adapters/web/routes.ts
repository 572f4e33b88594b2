import type {} from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { ParleyError } from '../../src/core/errors.ts';
import type { InboxPort } from '../../src/core/inbox-port.ts';
import type { InboundMessage } from '../../src/core/message.ts';
import type { Logger } from '../../src/infra/logger.ts';
import { checkConversationId, newConversationId, type ConversationIdPolicy } from './conversation-id.ts';
import type { WebConfig } from './config.ts';
import { WebChatLimits } from './limits.ts';
import type { LiveHub } from './live-hub.ts';
import { LocaleTag, toInbound, toWire, WEB_CHANNEL, webAddress, WebClientFrame, WebMessageBody } from './normalize.ts';

export interface WebRoutesOptions {
  inbox: InboxPort;
  hub: LiveHub;
  logger: Logger;
  /** The limits and the id rule; default: WEB_ENV's defaults. */
  config?: WebConfig;
  /** The customer of this conversation is typing (shown to its agent; nothing is stored). */
  customerTyping?: (conversationId: string) => Promise<void>;
  /** Whether people are there now (opening hours), when they are back, and the typical wait: the widget's status line. */
  status?: () => Promise<WebStatus>;
  now?: () => Date;
  /** The clock the rate limits count by, in milliseconds (tests: one that stands still, so that nothing refills). */
  rateClock?: () => number;
}

/** What GET /api/webchat/status answers. */
export interface WebStatus {
  open: boolean;
  /** When people are back (ISO), while closed. */
  backAt: string | null;
  /** How long customers waited for a person lately (median, minutes), while open; null without enough handoffs. */
  typicalWaitMinutes: number | null;
}

const DEFAULTS: WebConfig = { addressLimit: 120, conversationLimit: 30, socketQueue: 16, weakIds: false };
/** How often a socket's "typing" is passed on at most. */
const TYPING_EVERY_MS = 2_000;
/** How often a socket may ask for the status line again. */
const STATUS_EVERY_MS = 60_000;

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
  const config = options.config ?? DEFAULTS;
  const now = options.now ?? (() => new Date());
  const limits = new WebChatLimits({ ...config, ...(options.rateClock ? { now: options.rateClock } : {}) });
  const ids: ConversationIdPolicy = {
    weakIds: config.weakIds,
    exists: async (conversationId) => (await inbox.history(WEB_CHANNEL, conversationId, 1)).length > 0,
  };
  /** `{ locale }` when the conversation's language is known, so the widget shows its own text in it; else nothing. */
  const localeOf = async (conversationId: string): Promise<{ locale?: string }> => {
    const locale = await inbox.locale(WEB_CHANNEL, conversationId);
    return locale ? { locale } : {};
  };
  /**
   * Hands a message to the inbox. The customer's message goes to the conversation's other sockets (their other tabs)
   * with the turn's replies, in the outbox's one round trip; on its own when no reply took it.
   */
  const receive = async (conversationId: string, message: InboundMessage) => {
    try {
      return await inbox.receive(message, { onAccepted: (accepted) => hub.hold(conversationId, { type: 'message', message: toWire(accepted) }) });
    } finally {
      void hub.flushHeld(conversationId).catch(() => {});
    }
  };
  /** The same after a message: the turn read it, so it is asked for only when the turn did not say. */
  const localeAfter = async (conversationId: string, result: { locale?: string | null }): Promise<{ locale?: string }> => {
    if (result.locale === undefined) return localeOf(conversationId);
    return result.locale ? { locale: result.locale } : {};
  };
  // Every web chat request (a socket's handshake too) counts against its client address, before anything is read.
  const perAddress = { onRequest: async (request: { ip: string }) => limits.address(request.ip) };

  /** A new conversation under an id the server chose, for integrations that would rather not make one. */
  app.post('/api/webchat/conversations', perAddress, async (_request, reply) => {
    return reply.status(201).send({ conversationId: newConversationId() });
  });

  // Without a handoff system nobody takes conversations over, and nothing changes: the widget keeps its own line.
  app.get('/api/webchat/status', perAddress, async (_request, reply): Promise<WebStatus> => {
    reply.header('cache-control', 'no-store');
    return (await options.status?.()) ?? { open: true, backAt: null, typicalWaitMinutes: null };
  });

  app.post('/api/webchat/messages', perAddress, async (request) => {
    const parsed = WebMessageBody.safeParse(request.body);
    if (!parsed.success) throw badRequest(parsed.error);
    const body = parsed.data;
    limits.conversation(body.conversationId);
    await checkConversationId(body.conversationId, ids);
    const result = await receive(body.conversationId, toInbound(body.conversationId, body, now(), request.ip));
    return {
      duplicate: result.duplicate,
      replies: result.replies.map((reply) => ({ id: reply.id, text: reply.text ?? '', buttons: reply.buttons })),
      ...(await localeAfter(body.conversationId, result)),
    };
  });

  app.get('/api/webchat/conversations/:conversationId/messages', perAddress, async (request) => {
    const parsed = ConversationParams.safeParse(request.params);
    if (!parsed.success) throw badRequest(parsed.error);
    const messages = await inbox.history(WEB_CHANNEL, parsed.data.conversationId);
    return { messages: messages.map(toWire), ...(await localeOf(parsed.data.conversationId)) };
  });

  app.get('/api/webchat/socket', { websocket: true, ...perAddress }, async (socket: WebSocket, request) => {
    const parsed = SocketQuery.safeParse(request.query);
    if (!parsed.success) {
      socket.send(JSON.stringify({ type: 'error', error: 'conversationId is required' }));
      socket.close(1008, 'conversationId is required');
      return;
    }
    const { conversationId, locale } = parsed.data;
    const address = request.ip;
    const send = (frame: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    };
    const sendError = (error: unknown, messageId?: string) => {
      if (!(error instanceof ParleyError)) logger.error({ err: String(error) }, 'web chat frame failed');
      const known = error instanceof ParleyError ? error : undefined;
      send({
        type: 'error',
        code: known?.code ?? 'INTERNAL',
        error: known?.message ?? 'Something went wrong',
        ...(messageId !== undefined ? { messageId } : {}),
        ...(known?.retryAfterSeconds !== undefined ? { retryAfter: known.retryAfterSeconds } : {}),
      });
    };
    try {
      await checkConversationId(conversationId, ids);
    } catch (error) {
      sendError(error);
      socket.close(1008, 'conversationId refused');
      return;
    }
    // Buffer frames published while the history is being read, so nothing falls between history and live.
    const early: string[] = [];
    let live = false;
    const unsubscribe = await hub.subscribe(conversationId, (frame) => (live ? send(frame) : early.push(frame)));
    socket.on('close', () => void unsubscribe());
    // Frames of one socket are handled one after another, so the customer's messages keep their order. A frame is
    // admitted (parsed, counted against the limits, a place in the bounded queue) when it arrives, and worked only
    // while its socket is open: a client that left leaves nothing to do behind it.
    let queue: Promise<void> = Promise.resolve();
    let waiting = 0;
    let typedAt = 0;
    let statusAt = 0;
    const sendStatus = async () => {
      if (options.status) send({ type: 'status', ...(await options.status()) });
    };
    socket.on('message', (raw: Buffer, isBinary: boolean) => {
      let frame: WebClientFrame | undefined;
      let invalid: unknown;
      try {
        frame = parseFrame(raw, isBinary);
      } catch (error) {
        invalid = error;
      }
      // Typing is passed on at most every TYPING_EVERY_MS per socket, and counts against no message limit.
      if (frame?.type === 'typing') {
        if (Date.now() - typedAt < TYPING_EVERY_MS) return;
        typedAt = Date.now();
        void options.customerTyping?.(conversationId).catch((error: unknown) => logger.warn({ err: String(error) }, 'web chat typing not passed on'));
        return;
      }
      // The status line asks again now and then (opening and closing times pass): at most once a minute.
      if (frame?.type === 'status') {
        if (Date.now() - statusAt < STATUS_EVERY_MS) return;
        statusAt = Date.now();
        void sendStatus().catch((error: unknown) => logger.warn({ err: String(error) }, 'web chat status not sent'));
        return;
      }
      const messageId = frame?.type === 'message' ? frame.messageId : undefined;
      try {
        limits.address(address);
        if (!frame) throw invalid;
        limits.conversation(conversationId);
        if (waiting >= config.socketQueue) {
          throw new ParleyError('RATE_LIMITED', 'too many messages waiting for an answer; try again in 1 s', { retryAfterSeconds: 1 });
        }
      } catch (error) {
        sendError(error, messageId);
        return;
      }
      const admitted = frame;
      waiting += 1;
      queue = queue
        .then(() => (socket.readyState === socket.OPEN ? handleFrame(admitted) : undefined))
        .catch((error: unknown) => sendError(error, messageId))
        .finally(() => (waiting -= 1));
    });

    async function handleFrame(frame: WebClientFrame): Promise<void> {
      if (frame.type === 'typing' || frame.type === 'status') return;
      if (frame.type === 'start') {
        await inbox.open(webAddress(conversationId), locale ? { locale } : {});
        send({ type: 'locale', ...(await localeOf(conversationId)) });
        return;
      }
      const message = frame;
      const result = await receive(conversationId, toInbound(conversationId, locale ? { ...message, locale } : message, now(), request.ip));
      send({ type: 'ack', messageId: message.messageId, ...(await localeAfter(conversationId, result)) });
    }

    try {
      const history = await inbox.history(WEB_CHANNEL, conversationId);
      send({ type: 'history', messages: history.map(toWire), ...(await localeOf(conversationId)) });
      // Whether people are there, over the live connection (a page's CSP may allow the chat's socket and nothing else).
      statusAt = Date.now();
      await sendStatus().catch((error: unknown) => logger.warn({ err: String(error) }, 'web chat status not sent'));
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

/** A client frame, checked; throws BAD_REQUEST naming what is wrong. */
function parseFrame(raw: Buffer, isBinary: boolean): WebClientFrame {
  if (isBinary || raw.length > 64 * 1024) throw new ParleyError('BAD_REQUEST', 'frames must be JSON text of at most 64 KiB');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ParleyError('BAD_REQUEST', 'frame is not valid JSON');
  }
  const frame = WebClientFrame.safeParse(json);
  if (!frame.success) throw badRequest(frame.error);
  if (frame.data.type === 'message' && (frame.data.text === undefined || frame.data.text.trim() === '') && frame.data.payload === undefined) {
    throw new ParleyError('BAD_REQUEST', 'text or payload is required');
  }
  return frame.data;
}
