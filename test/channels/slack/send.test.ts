import { describe, expect, it } from 'vitest';
import { sendError, slackCapabilities, toSlackMessage } from '../../../adapters/slack/send.ts';
import { isParleyError } from '../../../src/core/errors.ts';
import { renderForChannel } from '../../../src/outbox/render.ts';

const message = (text: string, buttons: { title: string; payload: string }[] = []) => ({ id: '7', text, buttons, attachments: [] });

describe('Slack messages', () => {
  it('sends plain text with Slack markup escaped, so it shows as written', () => {
    expect(toSlackMessage(message('Tom & Jerry <3 > all'), 'D1')).toEqual({ text: 'Tom &amp; Jerry &lt;3 &gt; all' });
  });

  it('sends buttons as a section and an actions block named after the conversation, titles shortened to 75 characters', () => {
    const long = 'A very long button title that goes on and on past what Slack shows on a button, really';
    const built = toSlackMessage(message('Pick one:', [{ title: 'Order status', payload: 'order_status' }, { title: long, payload: 'long' }]), 'C9:1700000001.000200');
    expect(built.text).toBe('Pick one:');
    expect(built.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Pick one:' } },
      {
        type: 'actions',
        block_id: 'parley:C9:1700000001.000200',
        elements: [
          { type: 'button', action_id: 'parley_reply_0', text: { type: 'plain_text', text: 'Order status', emoji: true }, value: 'order_status' },
          { type: 'button', action_id: 'parley_reply_1', text: { type: 'plain_text', text: `${long.slice(0, 74).trimEnd()}…`, emoji: true }, value: 'long' },
        ],
      },
    ]);
    const title = (built.blocks![1] as { elements: { text: { text: string } }[] }).elements[1]!.text.text;
    expect(Array.from(title).length).toBeLessThanOrEqual(75);
  });

  it('keeps a section under 3,000 characters: longer text before buttons takes two sections', () => {
    const text = `${'This sentence is part of a long answer. '.repeat(90)}`.trim();
    const built = toSlackMessage(message(text, [{ title: 'Main menu', payload: 'menu' }]), 'D1');
    const sections = built.blocks!.filter((b) => (b as { type: string }).type === 'section') as { text: { text: string } }[];
    expect(sections).toHaveLength(2);
    expect(sections.every((s) => s.text.text.length <= 3000 && s.text.text.endsWith('.'))).toBe(true);
  });

  it('the outbox splits text longer than 4,000 characters at a sentence boundary, buttons on the last part', () => {
    const text = 'Our returns policy is generous. '.repeat(300).trim();
    const parts = renderForChannel(message(text, [{ title: 'Main menu', payload: 'menu' }]), slackCapabilities);
    expect(parts.length).toBe(3);
    expect(parts.every((p) => p.text.length <= 4000 && p.text.endsWith('generous.'))).toBe(true);
    expect(parts.map((p) => p.buttons.length)).toEqual([0, 0, 1]);
  });

  it('more than 25 buttons become the numbered list', () => {
    const buttons = Array.from({ length: 26 }, (_, i) => ({ title: `Option ${i + 1}`, payload: `o${i + 1}` }));
    const [part] = renderForChannel(message('Choose:', buttons), slackCapabilities);
    expect(part!.buttons).toEqual([]);
    expect(part!.text).toContain('26. Option 26');
  });
});

describe('Slack Web API failures', () => {
  const platform = (error: string) => Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'invalid_auth', 'msg_too_long'])('%s fails the message for good', (error) => {
    const mapped = sendError(platform(error));
    expect(isParleyError(mapped, 'CHANNEL_SEND_REJECTED')).toBe(true);
    expect(mapped.message).toBe(`Slack refused the message: ${error}`);
  });

  it.each([
    ['a rate limit', Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: 1 })],
    ['a 5xx', Object.assign(new Error('An HTTP protocol error occurred: statusCode = 500'), { code: 'slack_webapi_http_error', statusCode: 500 })],
    ['no connection', Object.assign(new Error('A request error occurred: connect ECONNREFUSED'), { code: 'slack_webapi_request_error' })],
    ['Slack\'s internal_error', platform('internal_error')],
    ['ratelimited', platform('ratelimited')],
  ])('%s is retried', (_name, error) => {
    const mapped = sendError(error);
    expect(isParleyError(mapped)).toBe(false);
    expect(mapped.message).toMatch(/^Slack chat\.postMessage failed: /);
  });
});
