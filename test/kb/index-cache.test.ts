import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKnowledgeBase, type KnowledgeBase } from '../../src/kb/index.ts';
import { article, tempDir } from './support/kb-dir.ts';

const DELIVERY = article({ title: 'Delivery times', questions: ['When will my order arrive?'] }, 'Orders placed before 22:00 are delivered the next day.');
const RETURNS = article({ title: 'Return policy', questions: ['Can I return my order?'] }, 'Return anything within 30 days of delivery for a full refund.');

const open: KnowledgeBase[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
  while (cleanups.length) await cleanups.pop()!();
});

async function start(dir: string, dataDir: string): Promise<KnowledgeBase> {
  const kb = await createKnowledgeBase({ dir, dataDir, recordGaps: false });
  open.push(kb);
  return kb;
}

describe('the index kept between runs', () => {
  it('is loaded when nothing changed, answers as the built one did, and is built anew after a change', async () => {
    const knowledge = await tempDir({ 'delivery.md': DELIVERY, 'returns.md': RETURNS });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);

    const first = await start(knowledge.dir, data.dir);
    expect(first.stats().index).toBe('built');
    const asked = await first.search('when does my parcel arrive');
    expect(await readdir(path.join(data.dir, 'kb', 'index'))).toHaveLength(1);

    const second = await start(knowledge.dir, data.dir);
    expect(second.stats().index).toBe('loaded');
    expect(await second.search('when does my parcel arrive')).toEqual(asked);
    expect((await second.search('can I get a refund')).hits[0]?.id).toBe('returns');

    await writeFile(path.join(knowledge.dir, 'returns.md'), article({ title: 'Return policy' }, 'Send anything back within 60 days.'));
    const changed = await start(knowledge.dir, data.dir);
    expect(changed.stats().index).toBe('built');
    expect((await changed.search('within how many days can I send it back')).hits[0]?.id).toBe('returns');
    expect(await readdir(path.join(data.dir, 'kb', 'index'))).toHaveLength(2);
  });

  it('an unreadable copy is built anew, never an error', async () => {
    const knowledge = await tempDir({ 'delivery.md': DELIVERY });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);
    await start(knowledge.dir, data.dir);
    const [file] = await readdir(path.join(data.dir, 'kb', 'index'));
    await writeFile(path.join(data.dir, 'kb', 'index', file!), 'not an index');
    const again = await start(knowledge.dir, data.dir);
    expect(again.stats().index).toBe('built');
    expect((await again.search('when will my order arrive')).hits[0]?.id).toBe('delivery');
  });
});
