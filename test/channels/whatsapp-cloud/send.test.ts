import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../support/poll.ts';
import { createWhatsAppSender, toGraphMessage, truncate } from '../../../adapters/whatsapp-cloud/send.ts';
import { whatsappAddress } from '../../../adapters/whatsapp-cloud/normalize.ts';
import { ParleyError } from '../../../src/core/errors.ts';
import { renderForChannel } from '../../../src/outbox/render.ts';
import { whatsappCapabilities } from '../../../adapters/whatsapp-cloud/send.ts';
import { graphError, GraphServer } from './graph-server.ts';

const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Choice number ${i + 1} with a long title`, payload: `p${i + 1}` }));

describe('toGraphMessage', () => {
  it('sends text without preview', () => {
    expect(toGraphMessage('4917', 'Hello', [])).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '4917', type: 'text', text: { body: 'Hello', preview_url: false } });
  });

  it('renders up to 3 buttons as reply buttons with titles of at most 20 characters', () => {
    const message = toGraphMessage('4917', 'Pick one', buttons(3)) as any;
    expect(message.interactive.type).toBe('button');
    expect(message.interactive.action.buttons).toEqual([
      { type: 'reply', reply: { id: 'p1', title: 'Choice number 1 wit…' } },
      { type: 'reply', reply: { id: 'p2', title: 'Choice number 2 wit…' } },
      { type: 'reply', reply: { id: 'p3', title: 'Choice number 3 wit…' } },
    ]);
  });

  it('renders 4 to 10 buttons as a list', () => {
    const message = toGraphMessage('4917', 'Pick one', buttons(10)) as any;
    expect(message.interactive.type).toBe('list');
    const rows = message.interactive.action.sections[0].rows;
    expect(rows).toHaveLength(10);
    expect(rows[9]).toEqual({ id: 'p10', title: 'Choice number 10 with a…' });
  });

  it('leaves more than 10 buttons to the outbox, which makes them a numbered list', () => {
    const [part] = renderForChannel({ id: '1', text: 'Pick one', buttons: buttons(11), attachments: [] }, whatsappCapabilities);
    expect(part!.buttons).toEqual([]);
    expect(part!.text).toMatch(/^Pick one\n\n1\. Choice number 1 with a long title\n/);
  });

  it('truncates without splitting an emoji', () => {
    expect(truncate('😀'.repeat(30), 20)).toBe(`${'😀'.repeat(19)}…`);
    expect(truncate('Short', 20)).toBe('Short');
  });
});

describe('createWhatsAppSender', () => {
  const graph = new GraphServer();
  const address = whatsappAddress('106540352242922', '491701234567');
  let lastInbound: Date | null = new Date();
  const now = new Date();
  const sender = () =>
    createWhatsAppSender({ graphUrl: graph.url, accessToken: 'token', lastInboundAt: async () => lastInbound, now: () => now });

  beforeAll(async () => void (await graph.start()));
  afterAll(async () => graph.close());
  beforeEach(() => {
    graph.respond = () => undefined;
    graph.requests.length = 0;
    graph.accepted.length = 0;
    lastInbound = new Date();
  });

  it('returns the wamid as the external id', async () => {
    const result = await sender().send(address, { id: '1', text: 'Hello', buttons: [], attachments: [] });
    expect(result.externalId).toBe(graph.lastWamid);
    expect(graph.requests[0]!.path).toBe('/v21.0/106540352242922/messages');
  });

  it('sends a long text before its buttons: interactive bodies carry at most 1024 characters', async () => {
    const text = `${'This sentence is long enough to matter. '.repeat(40)}Pick one.`;
    await sender().send(address, { id: '2', text, buttons: buttons(2), attachments: [] });
    const [lead, interactive] = graph.requests;
    expect(lead!.body.type).toBe('text');
    expect(interactive!.body.type).toBe('interactive');
    expect(interactive!.body.interactive.body.text.length).toBeLessThanOrEqual(1024);
    expect(`${lead!.body.text.body} ${interactive!.body.interactive.body.text}`).toBe(text);
  });

  it.each([
    ['400 invalid recipient', graphError(400, 131026, 'Message undeliverable'), true],
    ['401 bad token', graphError(401, 190, 'Invalid OAuth access token'), true],
    ['400 with a rate limit code', graphError(400, 130429, 'Rate limit hit'), false],
    ['429', graphError(429, 80007, 'Rate limit'), false],
    ['500', graphError(500, 1, 'An unknown error occurred'), false],
    ['503 without a body', { status: 503, body: '' }, false],
  ])('maps %s to %s (permanent)', async (_name, answer, permanent) => {
    graph.respond = () => answer;
    const error = await sender().send(address, { id: '3', text: 'Hello', buttons: [], attachments: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof ParleyError && error.code === 'CHANNEL_SEND_REJECTED').toBe(permanent);
  });

  it('cuts off a request the Graph API takes and never answers after its time limit, as a temporary failure', async () => {
    graph.respond = () => 'hang';
    const timed = createWhatsAppSender({ graphUrl: graph.url, accessToken: 'token', lastInboundAt: async () => new Date(), timeoutMs: 300 });
    const abandonedBefore = graph.abandoned;
    const error = await timed.send(address, { id: '5', text: 'Hello', buttons: [], attachments: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ParleyError);
    expect((error as Error).message).toMatch(/^WhatsApp Graph API unreachable: .*timeout/);
    await until(() => graph.abandoned, (n) => n === abandonedBefore + 1, 'the cut-off request to close');
  });

  it('treats an unreachable Graph API as temporary', async () => {
    const down = createWhatsAppSender({ graphUrl: 'http://127.0.0.1:9/v21.0', accessToken: 't', lastInboundAt: async () => new Date() });
    const error = await down.send(address, { id: '4', text: 'Hello', buttons: [], attachments: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ParleyError);
  });

  it('defers free-form messages outside the 24-hour window, or to a customer who never wrote, until they write', async () => {
    for (const last of [new Date(now.getTime() - 24 * 3600_000 - 1), null]) {
      lastInbound = last;
      const error = await sender().send(address, { id: '5', text: 'Hello', buttons: [], attachments: [] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParleyError);
      expect((error as ParleyError).code).toBe('CHANNEL_SEND_DEFERRED');
      expect((error as ParleyError).message).toMatch(/outside WhatsApp's 24-hour window/);
    }
    expect(graph.requests).toHaveLength(0);
  });

  it('sends the template once per message outside the window', async () => {
    lastInbound = new Date(now.getTime() - 48 * 3600_000);
    const withTemplate = createWhatsAppSender({
      graphUrl: graph.url, accessToken: 't', template: { name: 'parley_followup', language: 'de' }, lastInboundAt: async () => lastInbound, now: () => now,
    });
    await withTemplate.send(address, { id: '6', text: 'part one', buttons: [], attachments: [] });
    await withTemplate.send(address, { id: '6.2', text: 'part two', buttons: [], attachments: [] });
    expect(graph.requests.map((r) => r.body.type)).toEqual(['template']);
    expect(graph.requests[0]!.body.template).toEqual({ name: 'parley_followup', language: { code: 'de' } });
  });
});
