/** What the workspace's browser tests start with: the demo shop, Chromium, and the workspace's page built from these sources. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { repoRoot, startTestApp, type TestApp } from '../support/app.ts';
import { launchChromium } from '../support/webchat-browser.ts';
import { dropPrefix, freshPrefix } from './support.ts';

export interface WorkspaceRig {
  t: TestApp;
  browser: Browser;
  close(): Promise<void>;
}

/** The demo shop with these agents (AGENTS entries) on queues of their own, headless Chromium, and a fresh build of the page. */
export async function startWorkspaceRig(agents: readonly object[]): Promise<WorkspaceRig> {
  const prefix = freshPrefix();
  const [t, browser] = await Promise.all([
    startTestApp({ AGENTS: JSON.stringify(agents), HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', LOG_LEVEL: 'warn' }),
    launchChromium(),
    promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts/build-workspace.mjs')]),
  ]) as [TestApp, Browser, unknown];
  return {
    t, browser,
    async close() {
      await browser.close();
      await t.close();
      await dropPrefix(prefix);
    },
  };
}
