import { readdir, rm, writeFile } from 'node:fs/promises';
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

/** The matcher's kept index files (beside them, the kept knowledge: kept-knowledge.test.ts). */
async function indexFiles(dataDir: string): Promise<string[]> {
  return (await readdir(path.join(dataDir, 'kb', 'index'))).filter((name) => name.startsWith('matcher-'));
}

describe('the index kept between runs', () => {
  it('is loaded when nothing changed, answers as the built one did, and is built anew after a change', async () => {
    const knowledge = await tempDir({ 'delivery.md': DELIVERY, 'returns.md': RETURNS });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);

    const first = await start(knowledge.dir, data.dir);
    expect(first.stats().index).toBe('built');
    const asked = await first.search('when does my parcel arrive');
    expect(await indexFiles(data.dir)).toHaveLength(1);

    const second = await start(knowledge.dir, data.dir);
    expect(second.stats().index).toBe('loaded');
    expect(await second.search('when does my parcel arrive')).toEqual(asked);
    expect((await second.search('can I get a refund')).hits[0]?.id).toBe('returns');

    await writeFile(path.join(knowledge.dir, 'returns.md'), article({ title: 'Return policy' }, 'Send anything back within 60 days.'));
    const changed = await start(knowledge.dir, data.dir);
    expect(changed.stats().index).toBe('built');
    expect((await changed.search('within how many days can I send it back')).hits[0]?.id).toBe('returns');
    expect(await indexFiles(data.dir)).toHaveLength(2);
  });

  it('a loaded index answers every language as the built one, an article missing in one language found there too', async () => {
    const knowledge = await tempDir({
      'delivery.md': DELIVERY,
      'delivery.de.md': article({ title: 'Lieferzeiten', questions: ['Wann kommt meine Bestellung an?'] }, 'Bestellungen bis 22 Uhr werden am nächsten Tag geliefert.'),
      'returns.md': RETURNS,
      'aero.md': article({ title: 'Aero 14 battery', questions: ['How long does the Aero 14 battery last?'] }, 'The Aero 14 runs for 18 hours on one charge.'),
    });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);
    const questions: Array<[string, string]> = [
      ['when will my order arrive', 'en'],
      ['wann kommt meine Bestellung', 'de'],
      ['Aero 14 Akku', 'de'],
      ['can I return it', 'en'],
    ];
    const built = await start(knowledge.dir, data.dir);
    expect(built.stats().index).toBe('built');
    const loaded = await start(knowledge.dir, data.dir);
    expect(loaded.stats().index).toBe('loaded');
    for (const [question, locale] of questions) expect(await loaded.answer(question, { locale })).toEqual(await built.answer(question, { locale }));
    expect((await loaded.search('wann kommt meine Bestellung', { locale: 'de' })).hits[0]?.id).toBe('delivery');
    expect((await loaded.search('Aero 14 Akku', { locale: 'de' })).hits[0]?.id).toBe('aero');
  });

  it('an unreadable copy is built anew, never an error', async () => {
    const knowledge = await tempDir({ 'delivery.md': DELIVERY });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);
    await start(knowledge.dir, data.dir);
    const [file] = await indexFiles(data.dir);
    await writeFile(path.join(data.dir, 'kb', 'index', file!), 'not an index');
    const again = await start(knowledge.dir, data.dir);
    expect(again.stats().index).toBe('built');
    expect((await again.search('when will my order arrive')).hits[0]?.id).toBe('delivery');
  });
});

describe('a change to one file', () => {
  // Enough other articles that one file is a small share of the base (a larger share is rebuilt: REBUILD_SHARE).
  const products = ['kettle', 'toaster', 'blender', 'juicer', 'grinder', 'mixer', 'steamer', 'roaster', 'fryer', 'cooker', 'oven', 'grill', 'wok', 'scale', 'slicer', 'peeler', 'whisk', 'sieve', 'ladle', 'teapot'];
  const others = Object.fromEntries(
    products.flatMap((product) => [
      [`${product}/care.md`, article({ title: `Caring for the ${product}`, questions: [`How do I clean the ${product}?`] }, `Rinse the ${product} after each use and dry it.`)],
      [`${product}/parts.md`, article({ title: `${product} spare parts`, questions: [`Where can I buy a new ${product} lid?`] }, `Lids, seals and filters for the ${product} are sold in the shop.`)],
      [`${product}/specs.md`, article({ title: `${product} specifications` }, `The ${product} uses 1200 watts and weighs two kilograms.`)],
    ]),
  );
  const QUESTIONS = ['when does my parcel arrive', 'can I get a refund', 'how do I clean the toaster', 'new juicer lid', 'how heavy is the mixer'];

  it('re-indexes that file alone and answers as a rebuild would; a removed file is gone', async () => {
    const knowledge = await tempDir({ ...others, 'delivery.md': DELIVERY, 'returns.md': RETURNS });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);
    const kb = await start(knowledge.dir, data.dir);
    expect(kb.stats().index).toBe('built');

    await writeFile(path.join(knowledge.dir, 'returns.md'), article({ title: 'Return policy' }, 'Send anything back within 60 days, also opened boxes.'));
    await writeFile(path.join(knowledge.dir, 'gift-cards.md'), article({ title: 'Gift cards', questions: ['Do you sell gift vouchers?'] }, 'Gift cards from 10 to 200 euros.'));
    await rm(path.join(knowledge.dir, 'delivery.md'));
    await kb.rebuild();
    expect(kb.stats().index).toBe('updated');
    expect((await kb.search('within how many days can I send opened boxes back')).hits[0]?.id).toBe('returns');
    expect((await kb.search('do you sell gift vouchers')).hits[0]?.id).toBe('gift-cards');
    expect((await kb.search('when will my order arrive')).hits.map((h) => h.id)).not.toContain('delivery');

    // A second change on top: the first one's articles stay as they are now, the removed one stays gone.
    await writeFile(path.join(knowledge.dir, 'kettle/care.md'), article({ title: 'Caring for the kettle' }, 'Descale the kettle with citric acid once a month.'));
    await kb.rebuild();
    expect(kb.stats().index).toBe('updated');
    expect((await kb.search('descale with citric acid')).hits[0]?.id).toBe('kettle/care');
    expect((await kb.search('within how many days can I send opened boxes back')).hits[0]?.id).toBe('returns');
    expect((await kb.search('when will my order arrive')).hits.map((h) => h.id)).not.toContain('delivery');

    const elsewhere = await tempDir();
    cleanups.push(elsewhere.cleanup);
    const rebuilt = await start(knowledge.dir, elsewhere.dir);
    expect(rebuilt.stats().index).toBe('built');
    for (const question of QUESTIONS) expect((await kb.search(question)).hits.map((h) => h.id)).toEqual((await rebuilt.search(question)).hits.map((h) => h.id));
  });

  it('after a restart is not a rebuild: the kept index is loaded and the changed files alone re-indexed, as a rebuild would answer', async () => {
    const knowledge = await tempDir({ ...others, 'delivery.md': DELIVERY, 'returns.md': RETURNS });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);
    const stop = async (kb: KnowledgeBase) => {
      await kb.close();
      open.splice(open.indexOf(kb), 1);
    };
    await stop(await start(knowledge.dir, data.dir));

    // Changed while no server ran: one file rewritten, one added, one removed.
    await writeFile(path.join(knowledge.dir, 'returns.md'), article({ title: 'Return policy' }, 'Send anything back within 60 days, also opened boxes.'));
    await writeFile(path.join(knowledge.dir, 'gift-cards.md'), article({ title: 'Gift cards', questions: ['Do you sell gift vouchers?'] }, 'Gift cards from 10 to 200 euros.'));
    await rm(path.join(knowledge.dir, 'delivery.md'));
    const restarted = await start(knowledge.dir, data.dir);
    expect(restarted.stats().index).toBe('updated');
    expect((await restarted.search('within how many days can I send opened boxes back')).hits[0]?.id).toBe('returns');
    expect((await restarted.search('do you sell gift vouchers')).hits[0]?.id).toBe('gift-cards');
    expect((await restarted.search('when will my order arrive')).hits.map((h) => h.id)).not.toContain('delivery');
    await stop(restarted);

    // Nothing changed since: the same again. Then a second change on top of the first.
    expect((await start(knowledge.dir, data.dir)).stats().index).toBe('updated');
    await writeFile(path.join(knowledge.dir, 'kettle/care.md'), article({ title: 'Caring for the kettle' }, 'Descale the kettle with citric acid once a month.'));
    const again = await start(knowledge.dir, data.dir);
    expect(again.stats().index).toBe('updated');
    expect((await again.search('descale with citric acid')).hits[0]?.id).toBe('kettle/care');
    expect((await again.search('within how many days can I send opened boxes back')).hits[0]?.id).toBe('returns');

    const elsewhere = await tempDir();
    cleanups.push(elsewhere.cleanup);
    const rebuilt = await start(knowledge.dir, elsewhere.dir);
    expect(rebuilt.stats().index).toBe('built');
    // The same articles in the same order (a layer's scores are a single index's up to its own few documents: layered.ts).
    for (const question of [...QUESTIONS, 'descale with citric acid', 'do you sell gift vouchers']) {
      expect((await again.search(question)).hits.map((h) => h.id)).toEqual((await rebuilt.search(question)).hits.map((h) => h.id));
    }
  });

  it('made while running is answered after a restart too, without a rebuild', async () => {
    const knowledge = await tempDir({ ...others, 'returns.md': RETURNS });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);
    const running = await start(knowledge.dir, data.dir);
    await writeFile(path.join(knowledge.dir, 'returns.md'), article({ title: 'Return policy' }, 'Send anything back within 60 days, also opened boxes.'));
    await running.rebuild();
    expect(running.stats().index).toBe('updated');
    await running.close();
    const restarted = await start(knowledge.dir, data.dir);
    expect(restarted.stats().index).toBe('updated');
    expect((await restarted.search('within how many days can I send opened boxes back')).hits[0]?.id).toBe('returns');
  });

  it('after a restart, with the kept index unreadable, is a rebuild, never an error', async () => {
    const knowledge = await tempDir({ ...others, 'returns.md': RETURNS });
    const data = await tempDir();
    cleanups.push(knowledge.cleanup, data.cleanup);
    await start(knowledge.dir, data.dir);
    const [file] = await indexFiles(data.dir);
    await writeFile(path.join(data.dir, 'kb', 'index', file!), 'not an index');
    await writeFile(path.join(knowledge.dir, 'returns.md'), article({ title: 'Return policy' }, 'Send anything back within 60 days, also opened boxes.'));
    const restarted = await start(knowledge.dir, data.dir);
    expect(restarted.stats().index).toBe('built');
    expect((await restarted.search('within how many days can I send opened boxes back')).hits[0]?.id).toBe('returns');
  });
});
