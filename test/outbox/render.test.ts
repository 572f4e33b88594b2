import { describe, expect, it } from 'vitest';
import type { ChannelCapabilities } from '../../src/core/channel.ts';
import { renderForChannel, splitText } from '../../src/outbox/render.ts';

const rich: ChannelCapabilities = { buttons: true, maxButtons: 3, maxTextLength: 4096, markdown: false, media: true };
const plain: ChannelCapabilities = { buttons: false, maxButtons: 0, maxTextLength: 160, markdown: false, media: false };
const buttons = [
  { title: 'Order status', payload: 'order_status' },
  { title: 'Returns', payload: 'returns' },
];

describe('renderForChannel', () => {
  it('keeps buttons on a channel that has them', () => {
    const [part, ...rest] = renderForChannel({ id: '7', text: 'How can I help?', buttons, attachments: [] }, rich);
    expect(rest).toHaveLength(0);
    expect(part).toEqual({ id: '7', text: 'How can I help?', buttons, attachments: [] });
  });

  it('turns buttons into a numbered list where a channel has none', () => {
    const [part] = renderForChannel({ id: '7', text: 'How can I help?', buttons, attachments: [] }, plain);
    expect(part?.text).toBe('How can I help?\n\n1. Order status\n2. Returns');
    expect(part?.buttons).toEqual([]);
  });

  it('falls back to the numbered list when there are more buttons than the channel can show', () => {
    const many = [...buttons, { title: 'Hours', payload: 'contact' }, { title: 'A person', payload: 'human' }];
    const [part] = renderForChannel({ id: '1', text: 'Pick one', buttons: many, attachments: [] }, rich);
    expect(part?.buttons).toEqual([]);
    expect(part?.text).toContain('4. A person');
  });

  it('splits long text at sentence boundaries and puts the buttons on the last part', () => {
    const sentence = 'Our returns window is thirty days from delivery. ';
    const parts = renderForChannel({ id: '9', text: sentence.repeat(8), buttons, attachments: [] }, { ...plain, buttons: true, maxButtons: 3 });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(160);
      expect(part.text.endsWith('.')).toBe(true);
    }
    expect(parts.map((p) => p.id)).toEqual(parts.map((_, i) => (i === 0 ? '9' : `9.${i + 1}`)));
    expect(parts.at(-1)?.buttons).toEqual(buttons);
    expect(parts.slice(0, -1).every((p) => p.buttons.length === 0)).toBe(true);
  });

  it('turns attachments into links on a channel without media', () => {
    const [part] = renderForChannel(
      { id: '3', text: 'Here is the manual', buttons: [], attachments: [{ kind: 'file', name: 'Manual', url: 'https://example.com/m.pdf' }] },
      plain,
    );
    expect(part?.text).toBe('Here is the manual\nManual: https://example.com/m.pdf');
    expect(part?.attachments).toEqual([]);
  });
});

describe('splitText', () => {
  it.each([
    ['short text stays whole', 'Hello there.', 50, ['Hello there.']],
    ['splits between sentences', 'One two three. Four five six. Seven eight.', 20, ['One two three.', 'Four five six.', 'Seven eight.']],
    ['splits between words when a sentence is too long', 'alpha beta gamma delta epsilon', 12, ['alpha beta', 'gamma delta', 'epsilon']],
    ['cuts a word longer than the limit', 'abcdefghij', 4, ['abcd', 'efgh', 'ij']],
  ])('%s', (_name, text, max, expected) => {
    expect(splitText(text, max)).toEqual(expected);
  });
});
