import { afterAll, beforeAll } from 'vitest';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { startTestApp, type TestApp } from './app.ts';
import { studioApi } from './studio-api.ts';

/** The admin token the studio's API tests sign in with. */
export const STUDIO_ADMIN_TOKEN = 'studio-admin-token-0123456789';

/**
 * A test app for this file's studio tests (started before them, closed after; its handoff queue under a prefix of its
 * own; no file watching), with `env` on top, and the studio's API as the admin.
 */
export function useStudioApp(env: Record<string, string> = {}): { readonly url: string; api: ReturnType<typeof studioApi> } {
  let t: TestApp | undefined;
  let prefix: string;
  beforeAll(async () => {
    prefix = freshPrefix();
    t = await startTestApp({ ADMIN_TOKEN: STUDIO_ADMIN_TOKEN, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', ...env });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await dropPrefix(prefix);
  });
  return {
    get url() {
      return t!.url;
    },
    api: (method, pathname, body) => studioApi(t!.url, STUDIO_ADMIN_TOKEN)(method, pathname, body),
  };
}
