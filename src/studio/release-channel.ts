/**
 * How a publish reaches every server process: a Redis pub/sub message on `<prefix>:releases` carrying the new
 * release's id. A process that was not listening (down, or cut off from Redis) catches up when it starts, when
 * its subscription comes back, and at its next poll (RELEASES_POLL_MS), by asking the database for the current release.
 */
import type { Redis } from 'ioredis';

export function releaseChannel(prefix: string): string {
  return `${prefix}:releases`;
}

export async function announceRelease(publisher: Redis, prefix: string, id: number): Promise<void> {
  await publisher.publish(releaseChannel(prefix), JSON.stringify({ release: id }));
}

/**
 * Calls `onRelease` with each announced release id, and with undefined when the subscription came back after a
 * break (something may have been missed). Returns the function that stops listening.
 */
export async function listenForReleases(subscriber: Redis, prefix: string, onRelease: (id: number | undefined) => void): Promise<() => Promise<void>> {
  const channel = releaseChannel(prefix);
  const onMessage = (from: string, raw: string) => {
    if (from !== channel) return;
    try {
      const id = (JSON.parse(raw) as { release?: unknown }).release;
      if (typeof id === 'number' && Number.isInteger(id)) onRelease(id);
    } catch {
      // not ours
    }
  };
  // The first 'ready' of a client still connecting is its start, not a comeback.
  let first = subscriber.status !== 'ready';
  const onReady = () => {
    if (first) first = false;
    else onRelease(undefined);
  };
  subscriber.on('message', onMessage);
  subscriber.on('ready', onReady);
  await subscriber.subscribe(channel);
  return async () => {
    subscriber.off('message', onMessage);
    subscriber.off('ready', onReady);
    await subscriber.unsubscribe(channel).catch(() => undefined);
  };
}
