import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter, RenderedMessage } from '../../src/core/channel.ts';
import { ParleyError } from '../../src/core/errors.ts';
import type { Address } from '../../src/core/message.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { Outbox } from '../../src/outbox/outbox.ts';
import { SqlStore } from '../../src/store/index.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';
import type { Conversation, Store } from '../../src/store/types.ts';

const logger = createLogger({ level: 'silent', redact: true });

/** A channel whose API fails the first `failures` calls, then accepts; it records what it accepted. */
let externalIds = 0;

function flakyChannel(failures: number, error: () => Error = () => new Error('503 from channel API')) {
  const sent: { address: Address; message: RenderedMessage }[] = [];
  let calls = 0;
  const adapter: ChannelAdapter = {
    id: 'test',
    capabilities: { buttons: false, maxButtons: 0, maxTextLength: 1000, markdown: false, media: false },
    async send(address, message) {
      calls++;
      if (calls <= failures) throw error();
      sent.push({ address, message });
      return { externalId: `ext-${++externalIds}` };
    },
  };
  return { adapter, sent, calls: () => calls };
}

describe('Outbox', () => {
  let store: Store;
  let redis: Redis;
  let conversation: Conversation;
  let counter = 0;

  beforeAll(async () => {
    store = new SqlStore(await openMigratedTestDb());
    await store.migrate();
    redis = new Redis('redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await store.close();
    redis.disconnect();
  });
  beforeEach(async () => {
    counter++;
    const address = { channel: 'test', conversationId: `c-${counter}-${Date.now()}`, userId: `u-${counter}` };
    const customer = await store.resolveCustomer(address.channel, address.userId);
    conversation = (await store.resolveConversation(address, customer.id)).conversation;
  });

  async function commitReplies(texts: string[]) {
    const { replies } = await store.commitTurn({
      conversationId: conversation.id,
      expectedVersion: (await store.getConversation(conversation.id))!.version,
      state: { vars: {} },
      inboundId: null,
      replies: texts.map((text) => ({ text })),
    });
    return replies;
  }

  function outbox(adapter: ChannelAdapter, maxAttempts = 5) {
    return new Outbox({ store, channels: new Map([['test', adapter]]), logger, redis, maxAttempts, backoffMs: () => 5 });
  }

  it('delivers every reply once, in order, after the channel API recovers', async () => {
    const channel = flakyChannel(3);
    const replies = await commitReplies(['first', 'second', 'third']);
    await outbox(channel.adapter).dispatch(conversation.id, conversation.address, replies);
    expect(channel.sent.map((s) => s.message.text)).toEqual(['first', 'second', 'third']);
    const stored = await store.transcript(conversation.id);
    expect(stored.map((m) => [m.text, m.status])).toEqual([
      ['first', 'sent'],
      ['second', 'sent'],
      ['third', 'sent'],
    ]);
    expect(stored[0]?.attempts).toBe(3);
    expect(stored[0]?.externalId).toMatch(/^ext-\d+$/);
  });

  it('marks a reply failed after the last attempt, keeps the error, and still delivers the next one', async () => {
    const channel = flakyChannel(3);
    const replies = await commitReplies(['doomed', 'next']);
    await outbox(channel.adapter, 3).dispatch(conversation.id, conversation.address, replies);
    const stored = await store.transcript(conversation.id);
    expect(stored.map((m) => m.status)).toEqual(['failed', 'sent']);
    expect(stored[0]?.lastError).toBe('503 from channel API');
    expect(channel.sent.map((s) => s.message.text)).toEqual(['next']);
  });

  it('gives up at once on a reply the channel rejects for good', async () => {
    const channel = flakyChannel(1, () => new ParleyError('CHANNEL_SEND_REJECTED', 'recipient blocked the business'));
    const replies = await commitReplies(['rejected', 'after']);
    await outbox(channel.adapter).dispatch(conversation.id, conversation.address, replies);
    const stored = await store.transcript(conversation.id);
    expect(stored.map((m) => [m.status, m.attempts])).toEqual([
      ['failed', 1],
      ['sent', 0],
    ]);
    expect(channel.calls()).toBe(2);
  });

  it('finds replies a crashed process left pending, and two sweeping processes send each one once', async () => {
    const channel = flakyChannel(0);
    await commitReplies(['left behind 1', 'left behind 2']);
    const a = outbox(channel.adapter);
    const b = outbox(channel.adapter);
    await Promise.all([a.sweep(0), b.sweep(0)]);
    await Promise.all([a.stop(), b.stop()]);
    const mine = channel.sent.filter((s) => s.address.conversationId === conversation.address.conversationId);
    expect(mine.map((s) => s.message.text)).toEqual(['left behind 1', 'left behind 2']);
    expect((await store.transcript(conversation.id)).every((m) => m.status === 'sent')).toBe(true);
  });

  it('keeps a reply the channel defers waiting (no attempt, not swept), and sends it first when the customer writes', async () => {
    let open = false;
    const sent: string[] = [];
    const adapter: ChannelAdapter = {
      id: 'test',
      capabilities: { buttons: false, maxButtons: 0, maxTextLength: 1000, markdown: false, media: false, serviceWindow: true },
      async send(_address, message) {
        if (!open) throw new ParleyError('CHANNEL_SEND_DEFERRED', 'waiting: outside the window');
        sent.push(message.text);
        return {};
      },
    };
    const box = outbox(adapter);
    const [late] = await commitReplies(['agent reply']);
    await box.dispatch(conversation.id, conversation.address, [late!]);
    expect(await box.sweep(0)).toBe(0);
    const [waiting] = await store.transcript(conversation.id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, deliveryStatus: 'waiting', lastError: 'waiting: outside the window' });
    expect(sent).toEqual([]);

    open = true;
    const answer = await commitReplies(['answer to the new message']);
    void box.resumeWaiting(conversation.id, conversation.address);
    await box.dispatch(conversation.id, conversation.address, answer);
    expect(sent).toEqual(['agent reply', 'answer to the new message']);
    expect((await store.transcript(conversation.id)).map((m) => [m.status, m.attempts, m.lastError])).toEqual([
      ['sent', 0, null],
      ['sent', 0, null],
    ]);
  });

  it('marks a reply for a channel that is not enabled as failed instead of dropping it', async () => {
    const replies = await commitReplies(['nowhere to go']);
    const box = new Outbox({ store, channels: new Map(), logger, redis, maxAttempts: 3, backoffMs: () => 5 });
    await box.dispatch(conversation.id, conversation.address, replies);
    const [stored] = await store.transcript(conversation.id);
    expect(stored?.status).toBe('failed');
    expect(stored?.lastError).toBe('channel test is not enabled');
  });
});
