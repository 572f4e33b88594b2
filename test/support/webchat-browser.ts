import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Helpers for the web chat's browser tests: a real Chromium, and the conversation as it reads on screen. */

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const WAIT = { timeout: 15_000 };

/** Starts headless Chromium; fails with how to get one when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. The end-to-end tests need a real browser: install Debian's chromium ` +
        `(apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface Line {
  from: 'bot' | 'customer';
  text: string;
}

/** The conversation as it reads on screen, top to bottom. */
export function transcript(page: Page): Promise<Line[]> {
  return page.locator('#parley-messages .parley-message').evaluateAll((nodes) =>
    nodes.map((node) => ({
      from: node.classList.contains('parley-out') ? ('bot' as const) : ('customer' as const),
      text: node.querySelector('.parley-bubble')?.textContent ?? '',
    })),
  );
}

/** Titles of the quick-reply buttons on screen. */
export function buttonTitles(page: Page): Promise<string[]> {
  return page.locator('#parley-messages .parley-button').allTextContents();
}

export async function type(page: Page, text: string, how: 'enter' | 'send-button' = 'enter'): Promise<void> {
  await page.locator('#parley-input').fill(text);
  if (how === 'enter') await page.locator('#parley-input').press('Enter');
  else await page.locator('#parley-send').click();
}

export const bot = (pattern: RegExp) => ({ from: 'bot', text: expect.stringMatching(pattern) });
export const customer = (text: string) => ({ from: 'customer', text });
