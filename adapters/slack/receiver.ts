import { parse } from 'node:querystring';
import { HTTPReceiver, isValidSlackRequest } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../../src/core/errors.ts';

export const SLACK_ENDPOINTS = ['/slack/events', '/slack/interactivity'];
/** Slack's payloads are small; Bolt's own limit (4 MB) is far more than any event or button press. */
const SLACK_BODY_LIMIT = 1024 * 1024;

/**
 * Why Bolt could not handle this (signed) body, or undefined when it can: Bolt reads it (form-encoded, with a JSON
 * `payload` or not, else JSON) and dispatches on fields it does not check — a signed `null` is an unhandled rejection
 * that ends the process, an `event` that is not an object fails in the listeners.
 */
export function slackBodyProblem(raw: Buffer, contentType: string | undefined): string | undefined {
  let body: unknown;
  try {
    const text = raw.toString('utf8');
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = parse(text);
      body = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else body = JSON.parse(text);
  } catch {
    return 'not JSON or a form';
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'not an object';
  const fields = body as Record<string, unknown>;
  if (fields.type === 'event_callback') {
    const event = fields.event;
    if (event === null || typeof event !== 'object' || Array.isArray(event) || typeof (event as { type?: unknown }).type !== 'string') {
      return 'an event_callback without an event object';
    }
  }
  if (fields.actions !== undefined && !Array.isArray(fields.actions)) return 'actions is not a list';
  return undefined;
}

/**
 * Hands Slack's requests to Bolt's own HTTPReceiver, which acks and dispatches. Fastify reads the raw body first
 * (with a limit); its signature and timestamp are checked before anything else (401), then its shape (400), and Bolt
 * gets it as `rawBody`, which it takes as already read.
 */
export async function mountBoltReceiver(http: FastifyInstance, receiver: HTTPReceiver, signingSecret: string): Promise<void> {
  await http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: SLACK_BODY_LIMIT }, (_request, body, done) => done(null, body));
    for (const url of SLACK_ENDPOINTS) {
      scope.post(url, { bodyLimit: SLACK_BODY_LIMIT }, (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['x-slack-signature'];
        const timestamp = Number(request.headers['x-slack-request-timestamp']);
        const signed = typeof signature === 'string' && Number.isInteger(timestamp)
          && isValidSlackRequest({ signingSecret, body: raw.toString('utf8'), headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } });
        if (!signed) throw new ParleyError('UNAUTHORIZED', 'the Slack signature is missing, wrong or too old');
        const problem = slackBodyProblem(raw, request.headers['content-type']);
        if (problem) throw new ParleyError('BAD_REQUEST', `not a Slack request body: ${problem}`);
        reply.hijack();
        receiver.requestListener(Object.assign(request.raw, { rawBody: raw }), reply.raw);
      });
    }
  });
}
