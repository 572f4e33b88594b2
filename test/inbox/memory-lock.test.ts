import { describe, expect, it } from 'vitest';
import { MemoryConversationLock } from '../../src/inbox/memory-lock.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('MemoryConversationLock', () => {
  it('runs the turns of one conversation one at a time, in order, even when one fails', async () => {
    const lock = new MemoryConversationLock();
    const events: string[] = [];
    const turn = (name: string, fail = false) => lock.withLock('c1', async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    });
    const results = await Promise.allSettled([turn('a'), turn('b', true), turn('c')]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('lets different conversations run at the same time', async () => {
    const lock = new MemoryConversationLock();
    const events: string[] = [];
    const turn = (id: string) => lock.withLock(id, async () => {
      events.push(`${id} start`);
      await tick();
      events.push(`${id} end`);
    });
    await Promise.all([turn('c1'), turn('c2')]);
    expect(events.slice(0, 2)).toEqual(['c1 start', 'c2 start']);
  });
});
