import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { repoRoot } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';

/** `parley publish` and `parley releases export`: teams that keep flows and articles in git. */
let work: string;
let database: { url: string; drop(): Promise<void> };
let settings: Record<string, string>;
const saved: Record<string, string | undefined> = {};
const GREETING = "Hi, and welcome to Brightwave Electronics! I'm the Brightwave assistant.";

/** Runs a command in this process (spawning one per command takes seconds each), with what it printed. */
async function parley(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'parley-publish-cli-'));
  cpSync(path.join(repoRoot, 'flows'), path.join(work, 'flows'), { recursive: true });
  cpSync(path.join(repoRoot, 'knowledge'), path.join(work, 'knowledge'), { recursive: true });
  database = await createTestDatabase();
  settings = {
    DATA_DIR: path.join(work, 'data'), FLOWS_DIR: path.join(work, 'flows'), KNOWLEDGE_DIR: path.join(work, 'knowledge'), DATABASE_URL: database.url,
    HANDOFF_QUEUE_PREFIX: `{parley-cli-${process.pid}}`, LOG_LEVEL: 'silent', USER: 'dana',
  };
  for (const [name, value] of Object.entries(settings)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await database?.drop();
  rmSync(work, { recursive: true, force: true });
});

describe('parley publish and parley releases', () => {
  it('the command publishes the files as a release', { timeout: 120_000 }, () => {
    const first = spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'publish', '--message', 'from git', '--by', 'ci'],
      { cwd: work, encoding: 'utf8', env: { ...process.env, ...settings } });
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('published release 1\n');
    expect(first.status).toBe(0);
  });

  it('publishes only a change, refuses an error with every problem, and exports a release as files', { timeout: 120_000 }, async () => {
    expect((await parley('publish', '--message', 'same again')).stdout).toBe('nothing to publish: release 1 has these files already\n');

    const greeting = path.join(work, 'flows/greeting.yaml');
    writeFileSync(greeting, readFileSync(greeting, 'utf8').replace('  - say:', '  - sya:'));
    const refused = await parley('publish', '--message', 'broken');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^flows\/greeting\.yaml:\d+:5 {2}error {2}unknown step type 'sya'/m);
    expect(refused.stderr).toMatch(/not published: 1 error/);

    writeFileSync(greeting, readFileSync(greeting, 'utf8').replace('  - sya:', '  - say:').replace(GREETING, 'Hello from git!'));
    expect((await parley('publish', '-m', 'new greeting')).stdout).toBe('published release 2\n');
    const list = await parley('releases', 'list');
    expect(list.stdout.split('\n').filter(Boolean).map((line) => line.split('\t').filter((_, i) => i !== 1))).toEqual([['2', 'dana', 'new greeting'], ['1', 'ci', 'from git']]);

    const out = path.join(work, 'exported');
    expect((await parley('releases', 'export', '1', '--out', out)).stdout).toMatch(/^release 1 \(\d+ files\) written to /);
    expect(readFileSync(path.join(out, 'flows/greeting.yaml'), 'utf8')).toContain(GREETING);
    expect(readFileSync(path.join(out, 'knowledge/products/halo-hub.md'), 'utf8')).toBe(readFileSync(path.join(repoRoot, 'knowledge/products/halo-hub.md'), 'utf8'));
    await parley('releases', 'export', 'current', '--out', path.join(work, 'current'));
    expect(readFileSync(path.join(work, 'current/flows/greeting.yaml'), 'utf8')).toContain('Hello from git!');
    expect(await parley('releases', 'export', '7', '--out', out)).toMatchObject({ status: 2, stderr: 'parley: no release 7\n' });
  });

  it('says how to use it', async () => {
    expect((await parley('help')).stdout).toMatch(/publish +publish the files under FLOWS_DIR/);
    expect(await parley('publish')).toMatchObject({ status: 2, stderr: expect.stringContaining('say what changed with --message') });
    expect((await parley('releases', 'help')).stdout).toContain('export ID --out DIR');
  });
});
