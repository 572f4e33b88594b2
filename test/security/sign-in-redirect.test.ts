import { describe, expect, it } from 'vitest';
// The very module the sign-in page bundles (src/sign-in/ui/sign-in-page.tsx).
import { sameOriginPath } from '../../adapters/agent-console/public/next-path.js';

/**
 * Issue 14, item 6: `/agent/login?next=%2F.%2F%2Fevil.example` sent a signed-in agent to http://evil.example/, because
 * the page checked `next` before the browser normalised it (`/.//evil.example` → `//evil.example`). The page in
 * Chromium is replayed in test/security/sign-in-page.e2e.test.ts; here every spelling we know of.
 */
const ORIGIN = 'https://parley.example';
/** What `?next=` holds once URLSearchParams has decoded it. */
const next = (query: string) => new URLSearchParams(query).get('next');

describe('where the sign-in page may send the agent', () => {
  it.each([
    ['next=%2F.%2F%2Fevil.example'],
    ['next=/.//evil.example'],
    ['next=%2F%2Fevil.example'],
    ['next=//evil.example'],
    ['next=/%2F%2Fevil.example'],
    ['next=///evil.example'],
    ['next=/\\evil.example'],
    ['next=%2F%5Cevil.example'],
    ['next=\\\\evil.example'],
    ['next=/%09/evil.example'],
    ['next=/%0A/evil.example'],
    ['next=/%0D/evil.example'],
    ['next=%09//evil.example'],
    ['next=/./%2E/..//evil.example'],
    ['next=/agent/..//evil.example'],
    ['next=/../..//evil.example'],
    ['next=https://evil.example/agent'],
    ['next=https:evil.example'],
    ['next=http%3A%2F%2Fevil.example'],
    ['next=javascript:alert(1)'],
    ['next=%20//evil.example'],
    ['next=evil.example'],
    ['next='],
    [''],
  ])('refuses %s: goes to /agent', (query) => {
    expect(sameOriginPath(next(query), ORIGIN)).toBe('/agent');
  });

  it.each([
    ['next=/admin/report', '/admin/report'],
    ['next=%2Fadmin%2Freport%3Fsince%3D7d', '/admin/report?since=7d'],
    ['next=/admin/report/article?q=a%20b#top', '/admin/report/article?q=a%20b#top'],
    ['next=/admin/./privacy', '/admin/privacy'],
    // Encoded once more, the slashes stay in one path segment on this server.
    ['next=/%252F%252Fevil.example', '/%2F%2Fevil.example'],
  ])('keeps %s as %s', (query, expected) => {
    expect(sameOriginPath(next(query), ORIGIN)).toBe(expected);
  });

  it('every path it returns stays on the origin when the browser follows it', () => {
    const tricky = ['/.//x', '/\t/x', '/\\x', '/%2F%2Fx', '/./\\/x', '/a/../../\\x', '/admin', '/x?y=//z#//w'];
    for (const value of tricky) {
      const path = sameOriginPath(value, ORIGIN);
      expect(new URL(path, `${ORIGIN}/agent/login?next=x`).origin).toBe(ORIGIN);
    }
  });
});
