import type { ConversationLock } from './conversation-lock.ts';

/**
 * Serializes the turns of one conversation inside one process: each turn waits for the previous one of the same
 * conversation. For the simulator and conversation tests, where there is no second process and no Redis.
 */
export class MemoryConversationLock implements ConversationLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  withLock<T>(conversationId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(conversationId) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(fn);
    const tail = run.catch(() => {});
    this.tails.set(conversationId, tail);
    void tail.then(() => {
      if (this.tails.get(conversationId) === tail) this.tails.delete(conversationId);
    });
    return run;
  }
}
