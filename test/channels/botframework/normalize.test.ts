import { describe, expect, it } from 'vitest';
import { greetingOf, handoffStatusOf, referenceOf, sendError, toActivity, toInbound } from '../../../adapters/botframework/index.ts';
import { isParleyError } from '../../../src/core/errors.ts';
import { activity } from './support.ts';

const ids = { conversationId: 'a:1Xk9TeamsConv', serviceUrl: 'https://smba.trafficmanager.net/emea/' };
const now = new Date('2024-08-08T08:15:00Z');

describe('Bot Framework activities → inbound messages', () => {
  it('a typed message: text, scoped id, locale and name', () => {
    const inbound = toInbound(activity('message', ids), now)!;
    expect(inbound).toMatchObject({
      address: { channel: 'botframework', conversationId: ids.conversationId, userId: 'ec7a9d1e-7c3b-4a4b-9a5e-2f6d8b1c0e11' },
      externalId: `${ids.conversationId}:a4b3c9f0-555b-11ef-a5ad-6b5e2c6a0d6f`,
      text: 'hello', locale: 'en-US', profile: { name: 'User' },
    });
    expect(inbound.payload).toBeUndefined();
  });

  it.each([
    ['a string value', { value: 'returns' }],
    ['an object value with payload (messageBack, card submit)', { value: { payload: 'returns' }, text: 'Returns' }],
    ['a Web Chat postBack sent as text', { text: 'returns', channelData: { postBack: true } }],
  ])('a button press with %s becomes the payload', (_name, fields) => {
    const base = activity('message', ids);
    delete base.text;
    expect(toInbound({ ...base, ...fields }, now)).toMatchObject({ payload: 'returns' });
  });

  it("drops the bot's @mention in a Teams channel", () => {
    const message = activity('message', { ...ids, channelId: 'msteams', text: '<at>Brightwave</at> where is my order' });
    message.entities = [{ type: 'mention', mentioned: { id: message.recipient.id, name: 'Brightwave' }, text: '<at>Brightwave</at>' }];
    expect(toInbound(message, now)?.text).toBe('where is my order');
  });

  it('keeps files by reference, and ignores empty messages and other activity types', () => {
    const withFile = activity('message', { ...ids, text: '', attachments: [{ contentType: 'image/png', contentUrl: 'https://example.test/receipt.png', name: 'receipt.png' }] });
    expect(toInbound(withFile, now)?.attachments).toEqual([{ kind: 'image', url: 'https://example.test/receipt.png', mimeType: 'image/png', name: 'receipt.png' }]);
    expect(toInbound(activity('message', { ...ids, text: '   ' }), now)).toBeUndefined();
    expect(toInbound(activity('typing', ids), now)).toBeUndefined();
  });

  it('greets the member who is not the bot', () => {
    const update = activity('conversation-update', ids);
    expect(greetingOf(update)).toEqual({ address: { channel: 'botframework', conversationId: ids.conversationId, userId: update.membersAdded[1].id }, locale: 'en-US', profile: { name: 'User' } });
    expect(greetingOf({ ...update, membersAdded: [update.membersAdded[0]] })).toBeUndefined();
  });

  it('reads handoff.status events', () => {
    expect(handoffStatusOf(activity('handoff-status', ids))).toEqual({ state: 'completed', message: 'The agent closed the conversation.' });
    expect(handoffStatusOf(activity('message', ids))).toBeUndefined();
  });

  it('keeps the reference without the activity id', () => {
    const reference = referenceOf(activity('message', ids))!;
    expect(reference).toMatchObject({ serviceUrl: ids.serviceUrl, channelId: 'emulator', conversation: { id: ids.conversationId }, bot: { id: '8a684db0-555b-11ef-a5ad-6b5e2c6a0d6f' }, user: { id: 'ec7a9d1e-7c3b-4a4b-9a5e-2f6d8b1c0e11' } });
    expect(reference.activityId).toBeUndefined();
  });
});

describe('outbound messages → activities', () => {
  const message = { id: '7', text: 'Pick one', buttons: [{ title: 'Returns', payload: 'returns' }], attachments: [] };

  it('buttons are suggested actions, and a hero card of messageBack buttons on Teams', () => {
    expect(toActivity(message, { channelId: 'webchat', user: { id: 'u1', name: '' } })).toMatchObject({
      type: 'message', text: 'Pick one', suggestedActions: { to: ['u1'], actions: [{ type: 'postBack', title: 'Returns', value: 'returns' }] },
    });
    const teams = toActivity(message, { channelId: 'msteams' });
    expect(teams.suggestedActions).toBeUndefined();
    expect(teams.attachments?.[0]).toEqual({
      contentType: 'application/vnd.microsoft.card.hero',
      content: { buttons: [{ type: 'messageBack', title: 'Returns', text: 'Returns', displayText: 'Returns', value: { payload: 'returns' } }] },
    });
  });

  it.each([
    [403, true], [404, true], [400, true], [408, false], [429, false], [500, false], [502, false], [undefined, false],
  ])('a connector error with status %s is permanent: %s', (status, permanent) => {
    const error = Object.assign(new Error('failed'), status === undefined ? { code: 'ECONNREFUSED' } : { statusCode: status });
    expect(isParleyError(sendError(error), 'CHANNEL_SEND_REJECTED')).toBe(permanent);
  });
});
