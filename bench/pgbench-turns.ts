/**
 * What the same PostgreSQL commits when each transaction is shaped like a bot turn, measured by PostgreSQL's own
 * `pgbench` (Debian's postgresql-client) in the webchat benchmark's run: BEGIN; INSERT the customer's message; UPDATE
 * the conversation's state and version; INSERT the reply; COMMIT — with as many clients as the bench's conversations.
 * Parley's turns/s against it says how much of what the database can commit a turn reaches (issue 19: at least 15 %
 * at 64 conversations).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../test/support/postgres.ts';

const CONVERSATIONS = 10_000;

const TURN_SCRIPT = `\\set c random(1, ${CONVERSATIONS})
BEGIN;
INSERT INTO turn_messages (conversation_id, direction, text) VALUES (:c, 'in', 'how long does the battery of the headphones last');
UPDATE turn_conversations SET state = '{"flow":"fallback","step":"answer"}', version = version + 1, updated_at = now() WHERE id = :c;
INSERT INTO turn_messages (conversation_id, direction, text) VALUES (:c, 'out', 'Up to 40 hours of playback with noise cancelling on. Source: Wave 700 ANC headphones');
COMMIT;
`;

/** Turn-shaped transactions per second with `clients` connections for `seconds`, or why it could not be measured. */
export async function pgbenchTurns(clients: number, seconds: number): Promise<{ tps: number } | { skipped: string }> {
  const database = await createTestDatabase();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-pgbench-'));
  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`
      CREATE TABLE turn_conversations (id bigint PRIMARY KEY, state jsonb NOT NULL, version int NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE turn_messages (id bigserial PRIMARY KEY, conversation_id bigint NOT NULL REFERENCES turn_conversations (id), direction text NOT NULL, text text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
      CREATE INDEX ON turn_messages (conversation_id, id);
      INSERT INTO turn_conversations (id, state, version) SELECT g, '{}', 0 FROM generate_series(1, ${CONVERSATIONS}) g;
    `);
    await client.end();
    const script = path.join(dir, 'turn.sql');
    await writeFile(script, TURN_SCRIPT);
    const args = ['-n', '-c', String(clients), '-j', String(Math.min(clients, os.availableParallelism())), '-T', String(seconds), '-f', script, database.url];
    const { code, output } = await run('pgbench', args);
    if (code === null) return { skipped: 'pgbench is not installed (Debian: apt-get install postgresql-client)' };
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1];
    return tps && code === 0 ? { tps: Number(tps) } : { skipped: `pgbench exited ${code}: ${output.trim().split('\n').slice(-2).join(' ')}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await database.drop();
  }
}

/** The command's exit code (null when it could not be started) and its output, stdout and stderr together. */
function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', () => resolve({ code: null, output }));
    child.on('close', (code) => resolve({ code, output }));
  });
}
