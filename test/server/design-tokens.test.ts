import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHandoffApp, type HandoffApp } from '../handoff/support.ts';
import { repoRoot } from '../support/app.ts';
import { ADA, AGENTS_WITH_ADMIN, sessionCookieOf } from '../security/support.ts';

/**
 * One design-token stylesheet (src/ui/tokens.css) for every page Parley serves: the studio's, the workspace's and the
 * admin pages' bundles import it, the sign-in page is served with it; and its text colours are readable (WCAG AA).
 */
const TOKENS = readFileSync(path.join(repoRoot, 'src/ui/tokens.css'), 'utf8');
const declared = new Map([...TOKENS.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(declared.get(a)!), luminance(declared.get(b)!)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
};

describe('the design tokens', () => {
  it.each([
    ['--ink', '--bg'], ['--ink', '--panel'], ['--muted', '--bg'], ['--muted', '--panel'], ['--accent', '--bg'], ['--accent', '--accent-soft'],
    ['--accent-ink', '--accent'], ['--error', '--error-soft'], ['--warning', '--warning-soft'], ['--good', '--good-soft'], ['--note-ink', '--note'],
  ])('%s on %s reads at 4.5:1 or more', (text, background) => {
    expect(contrast(text, background)).toBeGreaterThanOrEqual(4.5);
  });

  it('are one stylesheet that every page\'s styles start from', () => {
    for (const page of ['src/studio/ui/studio.css', 'src/workspace/ui/workspace.css', 'src/admin/ui/admin.css', 'src/sign-in/ui/sign-in.css']) {
      const css = readFileSync(path.join(repoRoot, page), 'utf8');
      expect(css, page).toContain('@import "../../ui/base.css";');
      // No page declares a colour token of its own.
      expect(css.match(/^\s*--[\w-]+:/gm), page).toBeNull();
    }
    expect(readFileSync(path.join(repoRoot, 'src/ui/base.css'), 'utf8')).toContain('@import "./tokens.css";');
  });

  describe('as served', () => {
    let t: HandoffApp;
    beforeAll(async () => {
      t = await startHandoffApp({ AGENTS: AGENTS_WITH_ADMIN });
    }, 60_000);
    afterAll(async () => {
      await t?.close();
    });

    it('the sign-in page, the workspace and the admin pages carry the same tokens', async () => {
      const cookie = await sessionCookieOf(t.url, ADA);
      for (const file of ['/agent/login.css', '/agent/notice.css', '/agent/assets/workspace.css', '/admin/assets/admin.css']) {
        const response = await fetch(`${t.url}${file}`, { headers: { cookie } });
        expect(response.status, file).toBe(200);
        const css = await response.text();
        // The palette, as written (the bundler rewrites shadows and such in shorter forms).
        for (const [name, value] of declared) if (/^#[0-9a-f]{6}$/i.test(value)) expect(css, `${file} ${name}`).toContain(`${name}: ${value}`);
      }
    });
  });
});
