import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('CHANNEL_SEND_TIMEOUT_MS', () => {
  it('gives a channel API 15 s to take a reply unless set', () => {
    expect(loadConfig({}).channelSendTimeoutMs).toBe(15_000);
    expect(loadConfig({ CHANNEL_SEND_TIMEOUT_MS: '5000' }).channelSendTimeoutMs).toBe(5_000);
  });

  it('refuses a time limit the outbox claim would lapse within, naming both settings', () => {
    expect(() => loadConfig({ CHANNEL_SEND_TIMEOUT_MS: '60000' })).toThrow(/CHANNEL_SEND_TIMEOUT_MS \(60000\) must be below OUTBOX_CLAIM_TTL_MS \(60000\)/);
    expect(() => loadConfig({ CHANNEL_SEND_TIMEOUT_MS: '20000', OUTBOX_CLAIM_TTL_MS: '10000' })).toThrow(/OUTBOX_CLAIM_TTL_MS/);
  });

  it('refuses less than a second', () => {
    expect(() => loadConfig({ CHANNEL_SEND_TIMEOUT_MS: '10' })).toThrow(/CHANNEL_SEND_TIMEOUT_MS/);
  });
});
