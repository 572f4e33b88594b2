import type { Redis } from 'ioredis';
import type { ChannelAdapter, LivePublishing } from '../core/channel.ts';
import type { Address } from '../core/message.ts';
import type { StoredMessage } from '../store/types.ts';
import { renderForChannel } from './render.ts';

/**
 * ARGV: the topic, the claim token, the sent markers' TTL, how many frames go first and those frames; then for each
 * message in order (KEYS: its claim and its sent marker) how many frames and the frames. A message marked sent before
 * is reported `before`; one another process has claimed stops the run (it and the ones after it are left to that
 * process and the sweep, so order holds); else its frames are published and it is marked sent. A script runs whole
 * in Redis: no frame is published twice.
 */
const PUBLISH_ALL = `
local topic, token, ttl = ARGV[1], ARGV[2], ARGV[3]
local first = tonumber(ARGV[4])
for f = 1, first do redis.call('publish', topic, ARGV[4 + f]) end
local results = {}
local at = 5 + first
for i = 1, #KEYS, 2 do
  local claim, sent = KEYS[i], KEYS[i + 1]
  local count = tonumber(ARGV[at])
  local holder = redis.call('get', claim)
  if redis.call('exists', sent) == 1 then
    results[#results + 1] = 'before'
  elseif holder and holder ~= token then
    return results
  else
    for f = 1, count do redis.call('publish', topic, ARGV[at + f]) end
    redis.call('set', sent, '1', 'EX', ttl)
    if holder then redis.call('del', claim) end
    results[#results + 1] = 'sent'
  end
  at = at + count + 1
end
return results`;

/** How long a reply's sent marker lasts: longer than any reply waits in the store before a sweep finds it. */
export const SENT_MARKER_SECONDS = 7 * 24 * 3600;

export function claimKey(message: StoredMessage): string {
  // Message ids are per database; the conversation's uuid keeps keys apart when databases share one Redis.
  return `parley:outbox:claim:${message.conversationId}:${message.id}`;
}

export function sentKey(message: StoredMessage): string {
  return `parley:outbox:sent:${message.conversationId}:${message.id}`;
}

/**
 * Publishes messages on a live channel in one round trip; returns the ids now published (or published before), in
 * order. Those it does not return are another process's to send. Throws when Redis fails: nothing was published then.
 */
export async function publishAll(
  redis: Redis, channel: ChannelAdapter & { live: LivePublishing }, address: Address, messages: readonly StoredMessage[], claimToken: string,
): Promise<string[]> {
  const keys = messages.flatMap((message) => [claimKey(message), sentKey(message)]);
  const args = messages.flatMap((message) => {
    const frames = renderForChannel(message, channel.capabilities).map((part) => channel.live.frame(address, part));
    return [String(frames.length), ...frames];
  });
  const first = channel.live.before?.(address) ?? [];
  const results = (await redis.eval(
    PUBLISH_ALL, keys.length, ...keys, channel.live.topic(address), claimToken, String(SENT_MARKER_SECONDS), String(first.length), ...first, ...args,
  )) as string[];
  return results.map((_result, i) => messages[i]!.id);
}
