import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/app.ts';
import { seedPgliteDataDir } from '../support/pglite-template.ts';

/** `parley publish` and `parley releases export`: teams that keep flows and articles in git. */
let work: string;
let env: NodeJS.ProcessEnv;
const parley = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), ...args], { cwd: work, encoding: 'utf8', env, timeout: 120_000 });
const GREETING = "Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.";

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'parley-publish-cli-'));
  cpSync(path.join(repoRoot, 'flows'), path.join(work, 'flows'), { recursive: true });
  cpSync(path.join(repoRoot, 'knowledge'), path.join(work, 'knowledge'), { recursive: true });
  await seedPgliteDataDir(path.join(work, 'data'));
  env = {
    ...process.env, DATA_DIR: path.join(work, 'data'), FLOWS_DIR: 'flows', KNOWLEDGE_DIR: 'knowledge', DATABASE_URL: '',
    HANDOFF_QUEUE_PREFIX: `{parley-cli-${process.pid}}`, LOG_LEVEL: 'silent',
  };
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('parley publish and parley releases', () => {
  it('publishes the files, refuses an error with every problem, and exports a release as files', { timeout: 180_000 }, () => {
    const first = parley('publish', '--message', 'from git', '--by', 'ci');
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('published release 1\n');
    expect(first.status).toBe(0);
    expect(parley('publish', '--message', 'same again').stdout).toBe('nothing to publish: release 1 has these files already\n');

    const greeting = path.join(work, 'flows/greeting.yaml');
    writeFileSync(greeting, readFileSync(greeting, 'utf8').replace('  - say:', '  - sya:'));
    const refused = parley('publish', '--message', 'broken');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^flows\/greeting\.yaml:\d+:5 {2}error {2}unknown step type 'sya'/m);
    expect(refused.stderr).toMatch(/not published: 1 error/);

    writeFileSync(greeting, readFileSync(greeting, 'utf8').replace('  - sya:', '  - say:').replace(GREETING, 'Hello from git!'));
    expect(parley('publish', '-m', 'new greeting').stdout).toBe('published release 2\n');
    const list = parley('releases', 'list');
    expect(list.stdout.split('\n').filter(Boolean).map((line) => line.split('\t').filter((_, i) => i !== 1))).toEqual([['2', process.env.USER ?? 'cli', 'new greeting'], ['1', 'ci', 'from git']]);

    const out = path.join(work, 'exported');
    const exported = parley('releases', 'export', '1', '--out', out);
    expect(exported.stdout).toMatch(/^release 1 \(\d+ files\) written to /);
    expect(readFileSync(path.join(out, 'flows/greeting.yaml'), 'utf8')).toContain(GREETING);
    expect(readFileSync(path.join(out, 'knowledge/products/halo-hub.md'), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'knowledge/products/halo-hub.md'), 'utf8'));
    parley('releases', 'export', 'current', '--out', path.join(work, 'current'));
    expect(readFileSync(path.join(work, 'current/flows/greeting.yaml'), 'utf8')).toContain('Hello from git!');
    expect(parley('releases', 'export', '7', '--out', out)).toMatchObject({ status: 2, stderr: 'parley: no release 7\n' });
  });

  it('says how to use it', { timeout: 60_000 }, () => {
    expect(parley('help').stdout).toMatch(/publish +publish the files under FLOWS_DIR/);
    expect(parley('publish')).toMatchObject({ status: 2, stderr: expect.stringContaining('say what changed with --message') });
    expect(parley('releases', 'help').stdout).toContain('export ID --out DIR');
  });
});
