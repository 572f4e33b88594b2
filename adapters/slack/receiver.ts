import { HTTPReceiver } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';

export const SLACK_ENDPOINTS = ['/slack/events', '/slack/interactivity'];

/**
 * Hands Slack's requests to Bolt's own HTTPReceiver, untouched: Bolt reads the raw body, checks the signing
 * secret and the timestamp, acks and dispatches. Fastify only routes; in this plugin it leaves bodies unread.
 */
export async function mountBoltReceiver(http: FastifyInstance, receiver: HTTPReceiver): Promise<void> {
  await http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    for (const url of SLACK_ENDPOINTS) {
      scope.post(url, (request, reply) => {
        reply.hijack();
        receiver.requestListener(request.raw, reply.raw);
      });
    }
  });
}
