import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKnowledgeBase, shorten, type KnowledgeBase } from '../../src/kb/index.ts';
import { article, tempDir } from './support/kb-dir.ts';

describe('shorten: fits a passage into a channel at a sentence boundary', () => {
  const text = 'Delivery is free over €50. Orders under €50 cost €4.95 in the Netherlands. Returns are free too!';
  it.each([
    [200, text],
    [60, 'Delivery is free over €50.'],
    [80, 'Delivery is free over €50. Orders under €50 cost €4.95 in the Netherlands.'],
    [30, 'Delivery is free over €50.'],
    [20, 'Delivery is free…'],
  ])('max %i', (max, expected) => {
    const short = shorten(text, max);
    expect(short).toBe(expected);
    expect(short.length).toBeLessThanOrEqual(max);
  });

  it('cuts at the end of a list line, and does not end on a colon', () => {
    expect(shorten('You can pay with:\n- iDEAL\n- PayPal\n- Klarna, within 30 days', 36)).toBe('You can pay with:\n- iDEAL\n- PayPal');
    expect(shorten('Bring these:\nyour order number and the item itself', 20)).toBe('Bring these.');
  });

  it('does not take "€4.95" or "e.g" for a sentence end', () => {
    expect(shorten('It costs €4.95 to deliver. Free over €50.', 28)).toBe('It costs €4.95 to deliver.');
  });
});

describe('answers', () => {
  const cleanups: Array<() => Promise<void>> = [];
  let kb: KnowledgeBase | undefined;
  afterEach(async () => {
    await kb?.close();
    kb = undefined;
    while (cleanups.length) await cleanups.pop()!();
  });

  async function base(files: Record<string, string>, options: { watch?: boolean } = {}) {
    const { dir, cleanup } = await tempDir(files);
    cleanups.push(cleanup);
    kb = await createKnowledgeBase({ dir, dataDir: dir, watch: options.watch });
    return { dir, kb };
  }

  const delivery = article(
    { title: 'Delivery times', questions: ['When will my order arrive?'] },
    '## Netherlands\nOrders placed before 22:00 are delivered the next day. We do not deliver on Sundays. Most deliveries arrive between 09:00 and 21:00.\n\n## Germany\nDelivered by DHL in 2 to 3 business days.',
  );

  it('offline: the sentences of the best passage that answer the question, within the length, with its source title', async () => {
    const { kb } = await base({ 'delivery.md': delivery, 'returns.md': article({ title: 'Returns' }, 'Return anything within 30 days.') });
    const full = await kb.answer('when will my order arrive in the netherlands');
    expect(full.answer).toBe('Orders placed before 22:00 are delivered the next day.');
    const sundays = await kb.answer('do you deliver on sundays in the netherlands');
    expect(sundays.answer).toBe('Orders placed before 22:00 are delivered the next day. We do not deliver on Sundays.');
    expect(full.sources).toEqual(['Delivery times']);
    expect(full.results[0]).toMatchObject({ id: 'delivery', title: 'Delivery times' });
    const short = await kb.answer('when will my order arrive in the netherlands', { maxLength: 30 });
    expect(short.answer).toBe('Orders placed before 22:00…');
    const germany = await kb.answer('delivery to germany');
    expect(germany.answer).toBe('Delivered by DHL in 2 to 3 business days.');
  });

  it('offline: finds the sentence that answers in another form of its words or with a typo', async () => {
    const headphones = article(
      { title: 'Wave 700 headphones' },
      'The Wave 700 are over-ear headphones with 40 hours of battery.\n\n## Battery and charging\nUp to 40 hours of playback. A full charge takes about 2 hours over USB-C.\n\n## Size and weight\nThey are 250 g and fold flat.\n\n## Water\nThe headphones are not waterproof: keep them out of the rain.',
    );
    const { kb } = await base({ 'wave.md': headphones });
    const understood = (question: string) => kb.answer(question, { understood: { article: 'wave', confidence: 0.9 } });
    expect((await understood('how quickly do the wave 700 recharge')).answer).toBe('Up to 40 hours of playback. A full charge takes about 2 hours over USB-C.');
    expect((await understood('what is the weight of the wave 700')).answer).toBe('They are 250 g and fold flat.');
    expect((await understood('are the wave 700 wtaerproof')).answer).toBe('The headphones are not waterproof: keep them out of the rain.');
    // Nothing asked beyond the product's name: the opening, which says what it is.
    expect((await understood('wave 700')).answer).toBe('The Wave 700 are over-ear headphones with 40 hours of battery.');
  });

  it('declines under the threshold and records the question as a gap', async () => {
    const { kb } = await base({ 'delivery.md': delivery });
    const answer = await kb.answer('do you sell gift cards? mail me at jo@example.com');
    expect(answer.answer).toBeNull();
    const gaps = await kb.gaps();
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.question).toBe('do you sell gift cards? mail me at [email]');
    await kb.answer('when will my order arrive');
    expect(await kb.gaps()).toHaveLength(1); // answered questions are not gaps
  });

  it('records a question the understanding step declined with the article it ranked closest', async () => {
    const { kb } = await base({ 'delivery.md': delivery });
    const answer = await kb.answer('delivery by drone?', { understood: { article: null, confidence: 0.3, nearest: 'delivery' } });
    expect(answer.answer).toBeNull();
    expect((await kb.gaps()).map((g) => [g.question, g.nearestArticleId])).toEqual([['delivery by drone?', 'delivery']]);
  });

  it('rebuild() picks up new and changed files', async () => {
    const { dir, kb } = await base({ 'delivery.md': delivery });
    expect((await kb.answer('do you sell gift cards')).answer).toBeNull();
    await writeFile(path.join(dir, 'gift-cards.md'), article({ title: 'Gift cards', questions: ['Do you sell gift cards?'] }, 'Yes: gift cards of €25, €50 and €100.'));
    const stats = await kb.rebuild();
    expect(stats.articles).toBe(2);
    expect((await kb.answer('do you sell gift cards')).answer).toBe('Yes: gift cards of €25, €50 and €100.');
  });

  it('with watch, a saved file is in the index shortly after; a broken one is left out and reported', async () => {
    const { dir, kb } = await base({ 'delivery.md': delivery }, { watch: true });
    await writeFile(path.join(dir, 'gift-cards.md'), article({ title: 'Gift cards', questions: ['Do you sell gift cards?'] }, 'Yes: gift cards of €25, €50 and €100.'));
    await expect.poll(async () => (await kb.answer('do you sell gift cards', { recordGap: false })).answer, { timeout: 5000 }).toBe('Yes: gift cards of €25, €50 and €100.');
    await writeFile(path.join(dir, 'broken.md'), 'no front matter');
    await expect.poll(() => kb.issues().map((i) => `${path.basename(i.file)}:${i.line}`), { timeout: 5000 }).toEqual(['broken.md:1']);
    expect(kb.stats().articles).toBe(2);
  });
});
