/**
 * The same erasure on the real PostgreSQL, carried out from the command line as an operator would:
 * `parley customers export ID --out FILE` and `parley customers erase ID --yes`, spawned as real processes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { findInRedis, findInTables, identifiers, person, seed, uniquePrefix } from './support.ts';
import { SlackApi } from '../channels/slack/slack-api.ts';
import { sqlOf } from '../support/sql.ts';

const prefix = uniquePrefix();
const carol = person('Carol Danvers', '+44 7911 123456', '447911123456', 'carol.d@example.org');
const dave = person('Dave Grohl', '030 1234567', '49301234567', 'dave.g@example.net');

function parley(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/parley.js'), ...args], {
      cwd: repoRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('export and erase from the CLI (PostgreSQL)', () => {
  let t: TestApp;
  let database: { url: string; drop(): Promise<void> };
  let env: Record<string, string>;
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-export-'));

  beforeAll(async () => {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url, HANDOFF_QUEUE_PREFIX: prefix, REDIS_AUTOSTART: 'false', LOG_LEVEL: 'warn', FLOWS_WATCH: 'false', KB_WATCH: 'false' };
    t = await startTestApp(env);
    await seed(t, carol, { asksErase: true });
    await seed(t, dave, { asksErase: false });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what it cannot do, with a clear line', async () => {
    const [unknown, noConfirm] = await Promise.all([
      parley(['customers', 'export', 'web:nobody-at-all'], env),
      parley(['customers', 'erase', carol.customerId], env),
    ]);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe('parley: no customer with that web identity\n');
    expect(noConfirm.code).toBe(2);
    expect(noConfirm.stderr).toContain('erasing needs a confirmation');
    expect(await findInTables(t, [carol.customerId])).not.toEqual([]);
  }, 60_000);

  it('exports to a file, erases with --yes, and nothing of the customer is left in PostgreSQL or Redis', async () => {
    const out = path.join(dir, 'carol.json');
    const exported = await parley(['customers', 'export', `whatsapp:+${carol.whatsapp}`, '--out', out], env);
    expect(exported.code).toBe(0);
    const data = JSON.parse(readFileSync(out, 'utf8'));
    expect(data.customer.id).toBe(carol.customerId);
    expect(data.tables.messages.map((m: { text: string }) => m.text)).toContain(`Hi, I am ${carol.name}, my number is ${carol.phone} and my email ${carol.email}`);

    // Her handoff is on a Slack agent desk too (a thread of two messages), which the command reaches with the
    // Slack settings alone: the Web API at a local stand-in.
    const slack = new SlackApi();
    slack.respond = (call) => (call.method === 'conversations.replies'
      ? { status: 200, body: { ok: true, messages: [{ ts: '1800000000.000100' }, { ts: '1800000000.000200', thread_ts: '1800000000.000100' }] } }
      : undefined);
    await slack.start();
    await sqlOf(t.app.store).query(`UPDATE handoffs SET desk_refs = '{"slack": "CDESK:1800000000.000100"}'::jsonb
      WHERE conversation_id IN (SELECT id FROM conversations WHERE customer_id = $1)`, [carol.customerId]);
    const slackEnv = { SLACK_SIGNING_SECRET: 'slack-signing-secret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_AGENT_CHANNEL: 'CDESK', SLACK_API_URL: slack.url };

    const daveRows = await findInTables(t, identifiers(dave));
    const erased = await parley(['customers', 'erase', `+${carol.whatsapp}`, '--yes'], { ...env, ...slackEnv }).finally(() => slack.close());
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);
    expect(erased.stdout).toMatch(new RegExp(`^erased customer ${carol.customerId}: .*customers 1 \\(audit \\d+\\)\\nredis: \\d+ keys, 1 queue jobs removed\\nslack: 2 desk messages deleted\\n$`));
    expect(slack.calls.filter((c) => c.method === 'chat.delete').map((c) => [c.args.channel, c.args.ts])).toEqual([
      ['CDESK', '1800000000.000200'], ['CDESK', '1800000000.000100'],
    ]);

    expect(await findInTables(t, identifiers(carol))).toEqual([]);
    expect(await findInRedis(t, ['parley:', prefix], identifiers(carol))).toEqual([]);
    expect(await findInTables(t, identifiers(dave))).toEqual(daveRows);
    const audit = await sqlOf(t.app.store).query<{ requested_by: string }>('SELECT requested_by FROM erasure_audit');
    expect(audit.rows).toEqual([{ requested_by: 'customer request, approved by cli' }]);
  }, 60_000);
});
