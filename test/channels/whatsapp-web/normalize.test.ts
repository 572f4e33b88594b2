import { describe, expect, it } from 'vitest';
import type { WhatsAppWebMessage } from '../../../adapters/whatsapp-web/client.ts';
import { ackStatus, chatOf, normalizeMessage, whatsappWebAddress } from '../../../adapters/whatsapp-web/normalize.ts';

const now = new Date('2026-03-01T10:00:00Z');
const options = { clientId: 'shop', groups: false, now };
const message = (extra: Partial<WhatsAppWebMessage>): WhatsAppWebMessage => ({
  id: { _serialized: 'false_4917012345678@c.us_3A9F2C1B0D8E7F6A5B4C' },
  from: '4917012345678@c.us',
  fromMe: false,
  type: 'chat',
  body: 'Hello',
  timestamp: 1772359200,
  ...extra,
});

describe('normalizeMessage', () => {
  it('turns a text message into an inbound message with the id from id._serialized and the customer from `from`', () => {
    expect(normalizeMessage(message({ _data: { notifyName: 'Maria' } }), options)).toEqual({
      address: { channel: 'whatsapp-web', conversationId: 'shop:4917012345678@c.us', userId: '4917012345678@c.us' },
      externalId: 'false_4917012345678@c.us_3A9F2C1B0D8E7F6A5B4C',
      receivedAt: new Date(1772359200 * 1000),
      text: 'Hello',
      profile: { name: 'Maria' },
    });
  });

  it.each([
    ['its own messages', { fromMe: true }, 'from-me'],
    ['status updates', { from: 'status@broadcast', isStatus: true }, 'status'],
    ['broadcast lists', { from: '1699999999@broadcast' }, 'broadcast'],
    ['groups (by default)', { from: '120363025246125486@g.us', author: '4917100000001@c.us' }, 'group'],
    ['system notifications', { type: 'e2e_notification', body: '' }, 'empty'],
    ['revoked messages', { type: 'revoked', body: '' }, 'empty'],
    ['empty text', { body: '   ' }, 'empty'],
    ['a chat id of another shape', { from: 'somebody' }, 'not-a-message'],
  ] as const)('ignores %s', (_name, extra, why) => {
    expect(normalizeMessage(message(extra), options)).toBe(why);
  });

  it('answers a group when groups are on: the conversation is the group, the customer is the author', () => {
    const inbound = normalizeMessage(message({ from: '120363025246125486@g.us', author: '4917100000001@c.us' }), { ...options, groups: true });
    expect(inbound).toMatchObject({ address: { conversationId: 'shop:120363025246125486@g.us', userId: '4917100000001@c.us' } });
  });

  it.each([
    ['an image with a caption', { type: 'image', body: 'crushed box', hasMedia: true, _data: { mimetype: 'image/jpeg' } },
      { text: '[image] crushed box', attachments: [{ kind: 'image', url: 'whatsapp-web-media:false_4917012345678@c.us_3A9F2C1B0D8E7F6A5B4C', mimeType: 'image/jpeg', caption: 'crushed box' }] }],
    ['a voice message', { type: 'ptt', body: '', hasMedia: true, _data: { mimetype: 'audio/ogg; codecs=opus' } },
      { text: '[voice message]', attachments: [{ kind: 'audio', url: 'whatsapp-web-media:false_4917012345678@c.us_3A9F2C1B0D8E7F6A5B4C', mimeType: 'audio/ogg; codecs=opus' }] }],
    ['a document', { type: 'document', body: '', hasMedia: true, _data: { mimetype: 'application/pdf', filename: 'invoice.pdf' } },
      { text: '[document] invoice.pdf', attachments: [{ kind: 'file', url: 'whatsapp-web-media:false_4917012345678@c.us_3A9F2C1B0D8E7F6A5B4C', mimeType: 'application/pdf', name: 'invoice.pdf' }] }],
    ['a location', { type: 'location', body: '', location: { latitude: 52.52, longitude: 13.405, name: 'Brightwave Berlin' } },
      { text: '[location] Brightwave Berlin', attachments: [{ kind: 'location', url: 'geo:52.52,13.405', name: 'Brightwave Berlin' }] }],
    ['a contact card', { type: 'vcard', body: 'BEGIN:VCARD…' }, { text: '[contact card]' }],
  ] as const)('describes %s and keeps media by reference', (_name, extra, expected) => {
    const inbound = normalizeMessage(message(extra as Partial<WhatsAppWebMessage>), options);
    expect(inbound).toMatchObject(expected);
    expect(typeof inbound === 'object' ? inbound.attachments : 'ignored').toEqual('attachments' in expected ? expected.attachments : undefined);
  });

  it('removes control characters and keeps at most 4096 characters', () => {
    const inbound = normalizeMessage(message({ body: `a\u0000b${'x'.repeat(5000)}` }), options);
    expect(typeof inbound === 'object' && inbound.text).toBe(`ab${'x'.repeat(4094)}`);
  });
});

describe('addresses and acks', () => {
  it('sends to the chat named in the conversation id, and nowhere else', () => {
    expect(chatOf(whatsappWebAddress('shop', '4917012345678@c.us'))).toBe('4917012345678@c.us');
    expect(chatOf(whatsappWebAddress('shop', '123456789012345@lid'))).toBe('123456789012345@lid');
    expect(chatOf({ channel: 'whatsapp-web', conversationId: '4917012345678@c.us', userId: 'x' })).toBeUndefined();
  });

  it.each([[-1, 'failed'], [0, undefined], [1, 'sent'], [2, 'delivered'], [3, 'read'], [4, 'read']] as const)('maps ack %d to %s', (ack, status) => {
    expect(ackStatus(ack)).toBe(status);
  });
});
