import { describe, expect, it } from 'vitest';
import { normalizeWebhook, parseAddress, WebhookBody, whatsappAddress } from '../../../adapters/whatsapp-cloud/normalize.ts';
import { fixture, inbound } from './fixtures.ts';

const now = new Date('2025-06-08T21:00:00Z');
const normalize = (body: unknown) => normalizeWebhook(WebhookBody.parse(body), now);

describe('normalizeWebhook', () => {
  it('turns a text message into an inbound message addressed by business number and wa_id', () => {
    const { messages, statuses } = normalize(fixture('text-message'));
    expect(statuses).toEqual([]);
    expect(messages).toEqual([
      {
        address: { channel: 'whatsapp', conversationId: '106540352242922:16505551234', userId: '16505551234' },
        externalId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        receivedAt: new Date(1749416383 * 1000),
        text: 'hi',
        profile: { name: 'Sheena Nelson' },
      },
    ]);
  });

  it.each([
    ['list-reply', 'order_status', 'Order status'],
    ['button-reply', 'menu', 'Main menu'],
  ] as const)('turns a %s into a payload, with its title as text', (name, payload, text) => {
    const [message] = normalize(fixture(name)).messages;
    expect(message).toMatchObject({ payload, text });
  });

  it("turns a template's quick-reply button into a payload", () => {
    const body = inbound('text-message', '16505551234', 'wamid.B1', { type: 'button', button: { text: 'Yes please', payload: 'followup_yes' } });
    expect(normalize(body).messages[0]).toMatchObject({ text: 'Yes please', payload: 'followup_yes' });
  });

  it('describes media and locations, keeping media by reference', () => {
    const [image, location, audio] = normalize(fixture('image-message')).messages;
    expect(image).toMatchObject({
      text: '[image] the box arrived like this',
      attachments: [{ kind: 'image', url: 'whatsapp-media:1003383421387256', mimeType: 'image/jpeg', caption: 'the box arrived like this' }],
    });
    expect(location).toMatchObject({ text: '[location] Brightwave Store, Alexanderplatz 1, Berlin', attachments: [{ kind: 'location', url: 'geo:52.520008,13.404954' }] });
    expect(audio).toMatchObject({ text: '[audio]', attachments: [{ kind: 'audio', url: 'whatsapp-media:1231004558092342', mimeType: 'audio/ogg; codecs=opus' }] });
  });

  it.each([
    [{ type: 'document', document: { id: '77', mime_type: 'application/pdf', filename: 'invoice.pdf' } }, '[document] invoice.pdf'],
    [{ type: 'sticker', sticker: { id: '78', mime_type: 'image/webp' } }, '[sticker]'],
    [{ type: 'contacts', contacts: [{ name: { formatted_name: 'Ana' } }] }, '[contacts]'],
    [{ type: 'unsupported', errors: [{ code: 131051 }] }, '[unsupported]'],
    [{ type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } }, '[reaction 👍]'],
  ])('describes %j', (patch, text) => {
    const body = inbound('text-message', '16505551234', 'wamid.M1', { text: undefined, ...patch });
    expect(normalize(body).messages[0]?.text).toBe(text);
  });

  it('ignores a removed reaction and an empty text', () => {
    expect(normalize(inbound('text-message', '1', 'wamid.R', { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '' } })).messages).toEqual([]);
    expect(normalize(inbound('text-message', '1', 'wamid.T', { text: { body: '  ' } })).messages).toEqual([]);
  });

  it('strips control characters PostgreSQL cannot store, and keeps at most 4096 characters', () => {
    const [message] = normalize(inbound('text-message', '1', 'wamid.C', { text: { body: `a\u0000b${'x'.repeat(5000)}` } })).messages;
    expect(message?.text?.startsWith('abx')).toBe(true);
    expect(message?.text).toHaveLength(4096);
  });

  it('reads status updates, with the reason of a failure', () => {
    expect(normalize(fixture('statuses')).statuses.map((s) => s.status)).toEqual(['delivered', 'read']);
    expect(normalize(fixture('status-failed')).statuses).toEqual([
      { externalId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3QjM1RDQ0N0Q2MjQ0MkQ2QUUA', status: 'failed', at: new Date(1749416600 * 1000), error: '131047: Re-engagement message' },
    ]);
  });

  it('refuses payloads that are not WhatsApp webhooks', () => {
    expect(WebhookBody.safeParse({ object: 'page', entry: [] }).success).toBe(false);
    expect(WebhookBody.safeParse({ object: 'whatsapp_business_account' }).success).toBe(false);
    expect(WebhookBody.safeParse(inbound('text-message', '+49 170', 'wamid.X')).success).toBe(false);
  });

  it('round-trips the address', () => {
    expect(parseAddress(whatsappAddress('106540352242922', '491701234567'))).toEqual({ phoneNumberId: '106540352242922', waId: '491701234567' });
    expect(parseAddress({ channel: 'whatsapp', conversationId: 'web-session', userId: 'x' })).toBeUndefined();
  });
});
