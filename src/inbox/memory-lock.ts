import type { ConversationLock } from './conversation-lock.ts';

/**
 * Serializes the turns of one conversation inside one process: each turn waits for the previous one of the same
 * conversation. For the simulator and conversation tests, where there is no second process and no Redis.
 */
export class MemoryConversationLock implements ConversationLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  withLock<T>(key: string, fn: () => Promise<T>, whileBusy?: () => Promise<T | undefined>): Promise<T> {
    const previous = this.tails.get(key);
    const run = previous
      ? (async () => {
          const early = await whileBusy?.();
          return early !== undefined ? early : previous.catch(() => {}).then(fn);
        })()
      : fn();
    const tail = run.catch(() => {});
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}
