import { describe, expect, it } from 'vitest';
import { parseConversation, plainText, pressToInbound, toInbound, type SlackMessageEvent } from '../../../adapters/slack/normalize.ts';
import { routeOf } from '../../../adapters/slack/routing.ts';

const now = new Date('2026-01-05T10:00:00Z');
const context = { teamId: 'T1', botUserId: 'UBOT', now };
const im = (fields: Partial<SlackMessageEvent> = {}): SlackMessageEvent => ({ type: 'message', channel: 'D42', channel_type: 'im', user: 'U7', team: 'T1', text: 'hi', ts: '1700000000.000100', ...fields });

describe('Slack events as inbound messages', () => {
  it('a DM: one conversation per DM channel, the customer as workspace:user, the message id as channel:ts', () => {
    expect(toInbound(im({ thread_ts: '1699999999.000100', user_profile: { display_name: 'Sam' } }), context)).toEqual({
      address: { channel: 'slack', conversationId: 'D42', userId: 'T1:U7' },
      externalId: 'D42:1700000000.000100',
      text: 'hi',
      profile: { name: 'Sam' },
      receivedAt: now,
    });
  });

  it('an @mention: the thread of the mention is the conversation, and the mention is not part of the text', () => {
    const top = toInbound({ type: 'app_mention', channel: 'C9', user: 'U7', team: 'T1', text: '<@UBOT> where is my order?', ts: '1700000001.000200' }, context);
    expect(top).toMatchObject({ address: { conversationId: 'C9:1700000001.000200' }, externalId: 'C9:1700000001.000200', text: 'where is my order?' });
    const inThread = toInbound({ type: 'app_mention', channel: 'C9', user: 'U7', text: 'and <@UBOT|parley> my refund', ts: '1700000003.1', thread_ts: '1700000001.000200' }, context);
    expect(inThread).toMatchObject({ address: { conversationId: 'C9:1700000001.000200', userId: 'T1:U7' }, text: 'and my refund' });
    // Without `authorizations` the bot is not named: an app_mention's leading mention is the bot's.
    expect(toInbound({ type: 'app_mention', channel: 'C9', user: 'U7', text: '<@U0LAN0Z89> hello', ts: '1.2' }, { ...context, botUserId: undefined })?.text).toBe('hello');
  });

  it('a Slack Connect customer keeps their own workspace', () => {
    expect(toInbound(im({ user_team: 'TOTHER', team: 'T1' }), context)?.address.userId).toBe('TOTHER:U7');
  });

  it.each([
    ['a mention and escapes', '<@UBOT> is 5 &lt; 6 &amp;&amp; 7 &gt; 3?', 'is 5 < 6 && 7 > 3?'],
    ['links with their label', 'see <https://example.com/a|my order> and <https://example.com/b>', 'see my order (https://example.com/a) and https://example.com/b'],
    ['auto-linked domains and addresses as typed', 'mail <mailto:ana@example.com|ana@example.com> or <http://example.com|example.com>', 'mail ana@example.com or example.com'],
    ['other people and channels by name', 'ask <@U99|dana> in <#C1|support>', 'ask dana in support'],
    ['control characters', 'a\u0000b\u0007c', 'abc'],
  ])('reads text as typed: %s', (_name, text, expected) => {
    expect(plainText(text, 'UBOT', false)).toBe(expected);
  });

  it('keeps shared files by reference, and drops an empty message', () => {
    const file = im({ subtype: 'file_share', text: '', files: [{ name: 'box.jpg', mimetype: 'image/jpeg', url_private: 'https://files.slack.com/box.jpg' }] });
    expect(toInbound(file, context)?.attachments).toEqual([{ kind: 'image', url: 'https://files.slack.com/box.jpg', mimeType: 'image/jpeg', name: 'box.jpg' }]);
    expect(toInbound(im({ text: '<@UBOT>' }), context)).toBeUndefined();
  });

  it.each([
    ['a bot', im({ bot_id: 'B1' })],
    ['an edit', im({ subtype: 'message_changed' })],
    ['a deletion', im({ subtype: 'message_deleted' })],
    ['a join', im({ subtype: 'channel_join' })],
    ['no user', im({ user: undefined })],
  ])('is not a person writing: %s', (_name, event) => {
    expect(toInbound(event, context)).toBeUndefined();
  });

  it('names where replies go', () => {
    expect(parseConversation('D42')).toEqual({ channel: 'D42' });
    expect(parseConversation('C9:1700000001.000200')).toEqual({ channel: 'C9', threadTs: '1700000001.000200' });
    expect(parseConversation('../etc')).toBeUndefined();
  });
});

describe('Slack button presses', () => {
  const body = {
    user: { id: 'U7', team_id: 'T1' },
    channel: { id: 'C9' },
    message: { ts: '1700000005.000200', thread_ts: '1700000001.000200' },
  };
  const action = { action_id: 'parley_reply_1', block_id: 'parley:C9:1700000001.000200', value: 'order_status', text: { text: 'Order status' } };

  it('a press on a Parley reply button is its payload, in the conversation the buttons were sent to', () => {
    expect(pressToInbound(body, action, now)).toEqual({
      address: { channel: 'slack', conversationId: 'C9:1700000001.000200', userId: 'T1:U7' },
      externalId: 'C9:1700000005.000200:parley_reply_1',
      payload: 'order_status',
      text: 'Order status',
      receivedAt: now,
    });
  });

  it.each([
    ['another block', { ...action, block_id: 'b1' }],
    ['no value', { ...action, value: '' }],
    ['a value too long', { ...action, value: 'x'.repeat(2001) }],
  ])('ignores a press with %s', (_name, pressed) => {
    expect(pressToInbound(body, pressed, now)).toBeUndefined();
  });
});

describe('routing one Slack app between the agent desk and customers', () => {
  const options = { agentChannel: 'CAGENTS', customers: true, botUserId: 'UBOT' };
  it.each([
    ['a reply in a handoff thread of the agent channel', { type: 'message', channel: 'CAGENTS', user: 'U1', ts: '2.0', thread_ts: '1.0' }, 'desk'],
    ['a top-level message in the agent channel', { type: 'message', channel: 'CAGENTS', user: 'U1', ts: '2.0' }, undefined],
    ['an @mention in the agent channel', { type: 'app_mention', channel: 'CAGENTS', user: 'U1', ts: '2.0' }, undefined],
    ['a DM', { type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', ts: '2.0' }, 'customer'],
    ['a DM in a thread', { type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', ts: '2.0', thread_ts: '1.0' }, 'customer'],
    ['an @mention elsewhere', { type: 'app_mention', channel: 'C1', user: 'U1', ts: '2.0' }, 'customer'],
    ['a thread reply elsewhere', { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', ts: '2.0', thread_ts: '1.0' }, 'customer-thread'],
    ['a top-level message elsewhere', { type: 'message', channel: 'C1', channel_type: 'channel', user: 'U1', ts: '2.0' }, undefined],
    ['our own message', { type: 'message', channel: 'D1', channel_type: 'im', user: 'UBOT', ts: '2.0' }, undefined],
    ['a bot in a handoff thread', { type: 'message', channel: 'CAGENTS', user: 'U1', bot_id: 'B1', ts: '2.0', thread_ts: '1.0' }, undefined],
    ['an edit in a handoff thread', { type: 'message', subtype: 'message_changed', channel: 'CAGENTS', ts: '2.0', thread_ts: '1.0' }, undefined],
  ] as const)('%s', (_name, event, route) => {
    expect(routeOf(event as SlackMessageEvent, options)).toBe(route);
  });

  it('sends nothing to customers when the customer side is off, and nothing to the desk when it is off', () => {
    expect(routeOf({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', ts: '2.0' }, { ...options, customers: false })).toBeUndefined();
    expect(routeOf({ type: 'message', channel: 'CAGENTS', channel_type: 'channel', user: 'U1', ts: '2.0', thread_ts: '1.0' }, { ...options, agentChannel: undefined })).toBe('customer-thread');
  });
});
