import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';

describe('WhatsApp Cloud API settings', () => {
  it('is off without its settings', () => {
    expect(loadConfig({}).whatsapp).toBeUndefined();
  });

  it('is on with all three secrets, with the pinned Graph API version by default', () => {
    const config = loadConfig({ WHATSAPP_VERIFY_TOKEN: 'v', WHATSAPP_APP_SECRET: 's', WHATSAPP_ACCESS_TOKEN: 'a', WHATSAPP_TEMPLATE: 'parley_followup:en_US' });
    expect(config.whatsapp).toEqual({
      verifyToken: 'v', appSecret: 's', accessToken: 'a', graphUrl: 'https://graph.facebook.com/v21.0', template: { name: 'parley_followup', language: 'en_US' },
    });
  });

  it('refuses some but not all of the secrets, naming the missing ones', () => {
    expect(() => loadConfig({ WHATSAPP_APP_SECRET: 's' })).toThrow(/WHATSAPP_VERIFY_TOKEN.*WHATSAPP_ACCESS_TOKEN/);
  });

  it('refuses a template without a language', () => {
    expect(() => loadConfig({ WHATSAPP_TEMPLATE: 'parley_followup' })).toThrow(/WHATSAPP_TEMPLATE/);
  });
});
