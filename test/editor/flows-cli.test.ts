import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yaml } from '../engine/helpers.ts';
import { repoRoot } from '../support/app.ts';

const parley = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), ...args], { cwd: repoRoot, encoding: 'utf8' });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-check-cli-'));
  writeFileSync(path.join(dir, 'a.yaml'), yaml`
    flow: a
    triggers: { start: true }
    steps:
      - say: "Hi {{name}}"
      - end: true
      - say: never
  `);
  writeFileSync(path.join(dir, 'b.yaml'), 'flow: b\nsteps:\n  - sya: hi\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parley flows (command line)', () => {
  it('check: every problem as path:line:col  level  message (path relative to the working directory), a summary, exit 1 on errors', () => {
    const result = parley('flows', 'check', dir);
    const shown = path.relative(repoRoot, dir);
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n')).toEqual([
      `${shown}/a.yaml:4:16  error  variable 'name' is never set: no ask (var:) or set step in any flow sets it`,
      `${shown}/a.yaml:6:5  warning  this say step can never run: no step leads to it (it comes after an end, a goto or a handoff, and nothing jumps here)`,
      expect.stringMatching(new RegExp(`^${shown}/b\\.yaml:3:5  error  unknown step type 'sya'`)),
      '✗ 2 flow files checked: 2 errors, 1 warning',
      '',
    ]);
  });

  it('check: the demo flows have no errors, so it exits 0', () => {
    const result = parley('flows', 'check');
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/✓ \d+ flow files checked: (no problems|0 errors, \d+ warnings?)\n$/);
  });

  it('check: a directory that does not exist is a one-line error naming it, with the configuration exit code', () => {
    const result = parley('flows', 'check', path.join(dir, 'nope'));
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/^parley: the flows directory .*nope does not exist \(DIR\)\n$/);
  });

  it('schema: prints the committed JSON Schema; --out writes it', () => {
    expect(parley('flows', 'schema').stdout).toBe(readFileSync(path.join(repoRoot, 'schemas/flow.schema.json'), 'utf8'));
    const out = path.join(dir, 'schemas', 'flow.schema.json');
    const written = parley('flows', 'schema', '--tests', '--out', out);
    expect(written.stdout).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(repoRoot, 'schemas/flow-test.schema.json'), 'utf8'));
  });

  it('a mistyped command or option is a usage error, exit 2', () => {
    expect(parley('flows', 'chekc').status).toBe(2);
    const option = parley('flows', 'schema', '--otu', 'x');
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/^parley: Unknown option '--otu'/);
  });
});

describe('parley flows from the bundle that npm install builds (scripts/build-cli.mjs)', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = path.join(repoRoot, 'dist', `test-${process.pid}`);
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build-cli.mjs'), outdir], { cwd: repoRoot, encoding: 'utf8' });
    expect(build.stderr).toBe('');
  }, 60_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('reports exactly what the sources report, with the same exit code', async () => {
    const fromBundle = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const { main } = await import(${JSON.stringify(path.join(outdir, 'main.js'))}); process.exitCode = await main(['flows', 'check', ${JSON.stringify(dir)}]);`],
    { cwd: repoRoot, encoding: 'utf8' });
    const fromSources = spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'flows', 'check', dir],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, PARLEY_FROM_SOURCES: '1' } });
    expect(fromSources.status).toBe(1);
    expect(fromBundle.status).toBe(fromSources.status);
    expect(fromBundle.stdout).toBe(fromSources.stdout);
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { inputs: string[] };
    expect(manifest.inputs).toContain('src/editor/check-flows.ts');
  }, 60_000);
});
