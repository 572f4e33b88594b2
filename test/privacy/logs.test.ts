/** Log lines never carry a phone number, an email address or a card number, wherever a careless line puts them. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.ts';

function capture(redact: boolean) {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
  return { logger: createLogger({ level: 'debug', redact, destination }), lines };
}

describe('logger redaction', () => {
  it('masks private data in error messages, stacks, reasons and the message itself; keeps ids', () => {
    const { logger, lines } = capture(true);
    const conversationId = '0f8fad5b-d9cb-469f-a165-70a1b2c3d4e5';
    logger.error({ err: new Error('channel refused "call me on +49 151 23456789"'), conversationId }, 'send failed');
    logger.warn({ err: 'timeout after writing to jo.doe@example.com', reason: 'card 4111 1111 1111 1111 declined', handoffId: '0151234567' }, 'handoff note');
    logger.info('customer 0151 23456789 wrote');
    const text = lines.join('');
    expect(text).not.toMatch(/23456789|jo\.doe|4111/);
    expect(text).toContain('channel refused \\"call me on [phone]\\"');
    expect(text).toContain('"err":"timeout after writing to [email]"');
    expect(text).toContain('"reason":"card [card] declined"');
    expect(text).toContain('customer [phone] wrote');
    expect(text).toContain(`"conversationId":"${conversationId}"`);
    expect(text).toContain('"handoffId":"0151234567"');
  });

  it('keeps known private fields out entirely, and logs as is with LOG_REDACT off (local debugging)', () => {
    const on = capture(true);
    on.logger.info({ text: 'hello', address: { userId: '491512345678' } }, 'in');
    expect(on.lines.join('')).not.toMatch(/hello|491512345678/);
    const off = capture(false);
    off.logger.info({ err: 'call +49 151 23456789' }, 'as is');
    expect(off.lines.join('')).toContain('+49 151 23456789');
  });
});
