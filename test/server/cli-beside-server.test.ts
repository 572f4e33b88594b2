import { randomUUID } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropPrefix } from '../handoff/support.ts';
import { runCli } from '../kb/support/run-cli.ts';
import { say } from '../support/app.ts';
import { makeDataDir, removeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { seedPgliteDataDir } from '../support/pglite-template.ts';

/**
 * `parley report`, `kb gaps` and `customers …` while `parley start` holds the embedded database under the same
 * DATA_DIR: the commands go through the server (src/store/data-dir-socket.ts) and print what they print when they
 * open the database themselves, which they do again once the server is gone, killed or stopped.
 */
const prefix = `{parley-cli-beside-${randomUUID().slice(0, 8)}}`;
const mower = randomUUID();
const leaving = randomUUID();
let dataDir: string;
let server: ServerProcess | undefined;
let env: Record<string, string>;

const cli = (args: string[], stdin?: string) => runCli(args, { env, ...(stdin !== undefined ? { stdin } : {}) });
/** What the report says, less the window it was made for (`--since 1d` counts from the moment it ran). */
const reportFigures = (stdout: string) => {
  const { since: _since, until: _until, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return rest;
};

beforeAll(async () => {
  dataDir = makeDataDir('parley-cli-beside-');
  await seedPgliteDataDir(dataDir);
  env = { DATA_DIR: dataDir, HANDOFF_QUEUE_PREFIX: prefix, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_AUTOSTART: 'false', FLOWS_WATCH: 'false', KB_WATCH: 'false' };
  server = await startServerProcess({ dataDir, env });
  await say(server.url, mower, 'm1', { text: 'do you sell lawn mowers?' });
  await say(server.url, leaving, 'm1', { text: 'hello' });
}, 120_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await dropPrefix(prefix);
  removeDataDir(dataDir);
});

describe('command-line tools while a server holds the embedded database', () => {
  let served: { report: string; reportText: string; gaps: string; requests: string; exported: string };

  it('report, kb gaps and customers export answer through the server, as tables and as JSON', { timeout: 120_000 }, async () => {
    const [report, reportText, gaps, gapsText, requests, exported] = await Promise.all([
      cli(['report', '--since', '1d', '--quiet', '0m', '--json']),
      cli(['report', '--since', '1d', '--quiet', '0m']),
      cli(['kb', 'gaps', '--json']),
      cli(['kb', 'gaps']),
      cli(['customers', 'requests', '--json']),
      cli(['customers', 'export', `web:${mower}`]),
    ]);
    for (const run of [report, reportText, gaps, gapsText, requests, exported]) expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(report.stdout).totals).toMatchObject({ conversations: 2 });
    expect(reportText.stdout).toMatch(/^all\s+2\s/m);
    expect(reportText.stdout).toContain('do you sell lawn mowers?');
    expect(JSON.parse(gaps.stdout.split('\n')[0]!)).toMatchObject({ question: 'do you sell lawn mowers?', count: 1 });
    expect(gapsText.stdout).toMatch(/^\s+1×\s+do you sell lawn mowers\?$/m);
    const customer = JSON.parse(exported.stdout);
    expect(customer.tables.messages.map((m: { text: string }) => m.text)).toContain('do you sell lawn mowers?');
    served = { report: report.stdout, reportText: reportText.stdout, gaps: gaps.stdout, requests: requests.stdout, exported: exported.stdout };

    // Only this user reaches the socket: its directory is 0700, the socket 0600.
    expect(statSync(path.join(dataDir, 'control')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'control', 'db.sock')).mode & 0o777).toBe(0o600);
  });

  it('erases a customer through the server, in one transaction; the server goes on answering', { timeout: 120_000 }, async () => {
    const erased = await cli(['customers', 'erase', `web:${leaving}`, '--yes']);
    expect(erased.stderr).toBe('');
    expect(erased.stdout).toMatch(/^erased customer [0-9a-f-]{36}: .*messages \d+.* \(audit \d+\)\nredis: \d+ keys, 0 queue jobs removed\n$/);
    expect(erased.code).toBe(0);
    const again = await cli(['customers', 'export', `web:${leaving}`]);
    expect(again).toMatchObject({ code: 2, stdout: '', stderr: 'parley: no customer with that web identity\n' });
    // The server itself saw the erase, and still answers customers.
    const [report, later] = await Promise.all([cli(['report', '--since', '1d', '--quiet', '0m', '--json']), say(server!.url, mower, 'm2', { text: 'thanks' })]);
    expect(JSON.parse(report.stdout).totals).toMatchObject({ conversations: 1 });
    expect(later.replies.length).toBeGreaterThan(0);
    served.report = report.stdout;
    served.exported = (await cli(['customers', 'export', `web:${mower}`])).stdout;
  });

  it('open the database themselves again, with the same output, once the server was killed (its claim left behind)', { timeout: 120_000 }, async () => {
    await server!.stop('SIGKILL');
    server = undefined;
    // One after the other: each opens the embedded database itself, which one process at a time may.
    const outputs: string[] = [];
    for (const args of [['report', '--since', '1d', '--quiet', '0m', '--json'], ['kb', 'gaps', '--json'], ['customers', 'requests', '--json'], ['customers', 'export', `web:${mower}`]]) {
      const run = await cli(args);
      expect(run).toMatchObject({ code: 0 });
      outputs.push(run.stdout);
    }
    const [report, gaps, requests, exported] = outputs;
    expect(reportFigures(report!)).toEqual(reportFigures(served.report));
    expect(gaps).toBe(served.gaps);
    expect(requests).toBe(served.requests);
    const { exportedAt: _a, ...now } = JSON.parse(exported!);
    const { exportedAt: _b, ...before } = JSON.parse(served.exported);
    expect(now).toEqual(before);
  });

  it('refuse with one line when the holder is alive but answers no socket', { timeout: 60_000 }, async () => {
    // A live process (this test's) claims the directory, as a command that opened it would; no server listens.
    writeFileSync(path.join(dataDir, 'pgdata', 'parley.pid'), String(process.pid));
    try {
      const refused = await cli(['kb', 'gaps']);
      expect(refused.code).toBe(69);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(`Another Parley process (pid ${process.pid}) is using the embedded database in ${path.join(dataDir, 'pgdata')}`);
      expect(refused.stderr).toContain('is `parley start` running with the embedded database?');
    } finally {
      writeFileSync(path.join(dataDir, 'pgdata', 'parley.pid'), '0');
    }
  });
});
