import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from '../support/app.ts';

/**
 * The order status flow end to end: a customer on the web chat, the flow's `call` step, the HTTP call to the order
 * API (the demo one Parley serves itself, or a configured one), and the reply.
 */
const ASK_NUMBER = "Happy to help! What's your order number? You'll find it in your order confirmation email. It looks like BW-12345.";

describe('order status through the web chat, against the demo order API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const texts = async (conversation: string, id: string, message: { text?: string; payload?: string }) =>
    (await say(t.url, conversation, id, message)).replies.map((r) => r.text);

  it('serves the demo orders, and 404 for a number it does not know', async () => {
    const shipped = await fetch(`${t.url}/demo/orders/bw-12345`);
    expect(shipped.status).toBe(200);
    expect(await shipped.json()).toMatchObject({ number: 'BW-12345', status: 'shipped', carrier: 'UPS', tracking_number: '1Z999AA10123456784' });
    expect((await (await fetch(`${t.url}/demo/orders/BW-23456`)).json()).status).toBe('processing');
    expect((await (await fetch(`${t.url}/demo/orders/BW-34567`)).json()).status).toBe('delivered');
    expect((await fetch(`${t.url}/demo/orders/BW-00000`)).status).toBe(404);
  });

  it('a customer asks where their order is and hears that it is on its way, with the carrier and tracking link', async () => {
    expect(await texts('order-shipped', 'm1', { text: 'Where is my order?' })).toEqual([ASK_NUMBER]);
    const reply = await say(t.url, 'order-shipped', 'm2', { text: 'BW-12345' });
    expect(reply.replies).toHaveLength(1);
    expect(reply.replies[0]!.text).toMatch(
      /^Good news: order BW-12345 is on its way with UPS and should arrive on \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\. You can follow it here: https:\/\/www\.ups\.com\/track\?tracknum=1Z999AA10123456784$/,
    );
    expect(reply.replies[0]!.buttons.map((b) => b.title)).toEqual(['Main menu', 'Talk to a person']);
    const conversation = await t.app.store.findConversation('web', 'order-shipped');
    expect(conversation?.state.flow).toBeUndefined();
    expect(conversation?.state.pendingEffect).toBeUndefined();
  });

  it('an unknown number is said so; the corrected number is then looked up', async () => {
    await texts('order-unknown', 'm1', { text: 'order status' });
    expect(await texts('order-unknown', 'm2', { text: 'BW-99999' })).toEqual([
      "I couldn't find an order with the number BW-99999.",
      'Could you check the number in your order confirmation email and type it again? Or tap the button to talk to a person.',
    ]);
    expect((await texts('order-unknown', 'm3', { text: 'BW-34567' }))[0]).toMatch(/^Order BW-34567 was delivered on \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\./);
  });

  it('in German, after the customer picked Deutsch', async () => {
    await texts('order-de', 'm1', { text: 'Deutsch', payload: 'switch_language' });
    expect((await texts('order-de', 'm2', { text: 'Wo ist meine Bestellung?' }))[0]).toMatch(/^Gern! Wie lautet Ihre Bestellnummer\?/);
    expect((await texts('order-de', 'm3', { text: 'BW-23456' }))[0]).toMatch(/^Ihre Bestellung BW-23456 wird gerade in unserem Lager verpackt\./);
  });

  it('a question no flow covers goes to the knowledge base; with none configured, the menu and a person are offered', async () => {
    const reply = await say(t.url, 'kb-none', 'm1', { text: 'Do you sell lawn mowers?' });
    expect(reply.replies.map((r) => r.text)).toEqual(["Sorry, I'm not sure I understood that. I can help with these, or put you in touch with a person:"]);
    expect(reply.replies[0]!.buttons.map((b) => b.title)).toEqual(['Order status', 'Returns', 'Hours & contact', 'Talk to a person']);
  });

  it('logs the call without the order number', async () => {
    await texts('order-logs', 'm1', { text: 'tracking' });
    await texts('order-logs', 'm2', { text: 'BW-23456' });
    const text = t.logs.join('');
    expect(text).toContain('"endpoint":"order_lookup"');
    expect(text).not.toContain('BW-23456');
  });
});

describe('order status against a configured order API that fails', () => {
  let t: TestApp;
  let broken: Server;
  beforeAll(async () => {
    broken = createServer((_request, response) => response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down"}'));
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const endpoints = { order_lookup: { url: `http://127.0.0.1:${(broken.address() as AddressInfo).port}/orders/{order}`, headers: { 'X-Api-Key': '${SHOP_KEY}' } } };
    t = await startTestApp({ DEMO_MODE: 'false', CALL_ENDPOINTS: JSON.stringify(endpoints), SHOP_KEY: 'demo-key' });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => broken?.close(resolve));
  });

  it('apologises and offers a person, and the demo API is not served', async () => {
    await say(t.url, 'order-down', 'm1', { text: 'where is my parcel' });
    const reply = await say(t.url, 'order-down', 'm2', { text: 'BW-12345' });
    expect(reply.replies.map((r) => r.text)).toEqual([
      "Sorry, I can't reach our order system right now, so I can't look up BW-12345. A colleague can check it for you.",
    ]);
    expect(reply.replies[0]!.buttons.map((b) => b.title)).toEqual(['Talk to a person', 'Main menu']);
    expect((await fetch(`${t.url}/demo/orders/BW-12345`)).status).toBe(404);
  });
});
