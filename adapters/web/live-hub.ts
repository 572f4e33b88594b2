import type { Redis } from 'ioredis';

type Listener = (frame: string) => void;

/**
 * Fans web chat frames out to the sockets of a conversation, whichever process they are connected to: frames are
 * published on Redis, and each process subscribes only to the conversations it has sockets for.
 */
export class LiveHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Frames held to go out with the conversation's next replies, by conversation (see `hold`). */
  private readonly held = new Map<string, string[]>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix = 'parley:webchat:',
  ) {
    subscriber.on('message', (channel: string, frame: string) => {
      const set = this.listeners.get(channel.slice(this.prefix.length));
      if (set) for (const listener of set) listener(frame);
    });
  }

  async publish(conversationId: string, frame: unknown): Promise<void> {
    await this.publisher.publish(this.topic(conversationId), JSON.stringify(frame));
  }

  /**
   * Holds a frame to go out with the conversation's next replies, in the same round trip (the outbox takes it with
   * `takeHeld`); `flushHeld` publishes it when no reply took it.
   */
  hold(conversationId: string, frame: unknown): void {
    this.held.set(conversationId, [...(this.held.get(conversationId) ?? []), JSON.stringify(frame)]);
  }

  takeHeld(conversationId: string): string[] {
    const frames = this.held.get(conversationId) ?? [];
    this.held.delete(conversationId);
    return frames;
  }

  async flushHeld(conversationId: string): Promise<void> {
    for (const frame of this.takeHeld(conversationId)) await this.publisher.publish(this.topic(conversationId), frame);
  }

  /** The Redis channel a conversation's frames are published on. */
  topic(conversationId: string): string {
    return this.prefix + conversationId;
  }

  /** Whether any server process has a socket open on this conversation right now. */
  async isLive(conversationId: string): Promise<boolean> {
    const [, count] = (await this.publisher.pubsub('NUMSUB', this.prefix + conversationId)) as [string, number];
    return Number(count) > 0;
  }

  /** Returns the function that unsubscribes. */
  async subscribe(conversationId: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(conversationId);
    if (!set) {
      set = new Set();
      this.listeners.set(conversationId, set);
      await this.subscriber.subscribe(this.prefix + conversationId);
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(conversationId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(conversationId);
        await this.subscriber.unsubscribe(this.prefix + conversationId).catch(() => {});
      }
    };
  }
}
