import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import wwebjs from 'whatsapp-web.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createWwebjsClient } from '../../../adapters/whatsapp-web/client.ts';
import { whatsappWebConfig } from '../../../adapters/whatsapp-web/config.ts';

describe('the default client factory', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-wweb-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("builds whatsapp-web.js's Client with LocalAuth under DATA_DIR and the system Chromium, without starting a browser", async () => {
    const { config } = whatsappWebConfig(
      { WHATSAPP_WEB: true, CHROMIUM_PATH: '/opt/chromium/chrome', WHATSAPP_WEB_CLIENT_ID: 'shop-main', WHATSAPP_WEB_WINDOW_HOURS: 24, WHATSAPP_WEB_GROUPS: false },
      dataDir,
      (file) => file === '/opt/chromium/chrome',
    );
    const client = await createWwebjsClient(config!);
    expect(client).toBeInstanceOf(wwebjs.Client);
    const options = (client as unknown as wwebjs.Client & { options: Record<string, any> }).options;
    expect(options.authStrategy).toBeInstanceOf(wwebjs.LocalAuth);
    expect(options.authStrategy).toMatchObject({ clientId: 'shop-main', dataPath: path.join(dataDir, 'whatsapp-web') });
    expect(options.puppeteer).toMatchObject({ executablePath: '/opt/chromium/chrome', headless: true });
    expect(options.puppeteer.args).toContain('--no-sandbox');
    expect(options.webVersionCache).toEqual({ type: 'local', path: path.join(dataDir, 'whatsapp-web', 'web-cache') });
    expect((client as unknown as { pupBrowser: unknown }).pupBrowser).toBeNull();
  });
});

describe('whatsappWebConfig', () => {
  const base = { WHATSAPP_WEB: true, WHATSAPP_WEB_CLIENT_ID: 'default', WHATSAPP_WEB_WINDOW_HOURS: 24, WHATSAPP_WEB_GROUPS: false };

  it('is off unless WHATSAPP_WEB is set', () => {
    expect(whatsappWebConfig({ ...base, WHATSAPP_WEB: false }, '/data', () => false)).toEqual({ config: undefined, problems: [] });
  });

  it('uses /usr/bin/chromium when CHROMIUM_PATH is unset, and says how to fix a missing Chromium', () => {
    expect(whatsappWebConfig(base, '/data', (file) => file === '/usr/bin/chromium').config).toEqual({
      clientId: 'default', chromiumPath: '/usr/bin/chromium', sessionDir: '/data/whatsapp-web', windowMs: 24 * 3600_000, groups: false,
    });
    expect(whatsappWebConfig(base, '/data', () => false).problems[0]).toMatch(/^CHROMIUM_PATH: WhatsApp Web needs Chromium .*apt-get install chromium/);
    expect(whatsappWebConfig({ ...base, CHROMIUM_PATH: '/nope/chrome' }, '/data', () => false).problems[0]).toMatch(/\/nope\/chrome does not exist/);
  });
});
