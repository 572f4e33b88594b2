/** What the workspace's browser tests start with: the demo shop and Chromium (the workspace's page is built from these sources by the global setup). */
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/webchat-browser.ts';
import { dropPrefix, freshPrefix } from './support.ts';

export interface WorkspaceRig {
  t: TestApp;
  browser: Browser;
  close(): Promise<void>;
}

/** The demo shop with these agents (AGENTS entries) on queues of their own, and headless Chromium. */
export async function startWorkspaceRig(agents: readonly object[]): Promise<WorkspaceRig> {
  const prefix = freshPrefix();
  const [t, browser] = await Promise.all([
    startTestApp({ AGENTS: JSON.stringify(agents), HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'warn' }),
    launchChromium(),
  ]);
  return {
    t, browser,
    async close() {
      await browser.close();
      await t.close();
      await dropPrefix(prefix);
    },
  };
}
