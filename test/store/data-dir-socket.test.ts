import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.ts';
import { connectDataDir } from '../../src/store/data-dir-client.ts';
import { serveDataDir, type DataDirServer } from '../../src/store/data-dir-server.ts';
import { encodeFrame, socketAddress } from '../../src/store/data-dir-socket.ts';
import type { Db } from '../../src/store/index.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';

/** The server's side of the data directory's socket keeps its own database usable whatever a command does. */
describe('the data directory socket', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-socket-'));
  let db: Db;
  let server: DataDirServer;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await openMigratedTestDb();
    await db.query('CREATE TABLE notes (id int PRIMARY KEY, at timestamptz, body bytea)');
    const logger = createLogger({ level: 'warn', redact: true, destination: { write: (line: string) => logs.push(line) } });
    server = (await serveDataDir({ dataDir: dir, db, logger, idleTransactionMs: 300 }))!;
  });
  afterAll(async () => {
    await server.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns rows as PGlite does (dates, bytes) and errors with their SQLSTATE', async () => {
    const command = (await connectDataDir(dir))!;
    try {
      const at = new Date('2026-12-06T10:00:00Z');
      await command.query('INSERT INTO notes VALUES (1, $1, $2)', [at, new Uint8Array([1, 2, 3])]);
      const { rows } = await command.query<{ at: Date; body: Uint8Array }>('SELECT at, body FROM notes WHERE id = 1');
      expect(rows[0]!.at).toEqual(at);
      expect([...rows[0]!.body]).toEqual([1, 2, 3]);
      const duplicate = await command.query('INSERT INTO notes VALUES (1, now(), NULL)').catch((error: unknown) => error);
      expect(duplicate).toMatchObject({ code: '23505', constraint: 'notes_pkey' });
    } finally {
      await command.close();
    }
  });

  it("rolls back a command's transaction left idle, or whose command went away, and the server's queries go on", async () => {
    const command = (await connectDataDir(dir))!;
    const stalled = command.transaction(async (tx) => {
      await tx.query('INSERT INTO notes VALUES (2, now(), NULL)');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    });
    await expect(stalled).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect((await db.query('SELECT id FROM notes WHERE id = 2')).rows).toEqual([]);
    expect(logs.join('')).toContain('a command-line transaction on the embedded database was idle too long: rolled back');

    await command.close();

    // A command killed inside its transaction: its connection closes after the insert.
    const killed = connect(socketAddress(dir)!);
    await once(killed, 'data');
    killed.write(Buffer.concat([encodeFrame({ op: 'begin' }), encodeFrame({ op: 'query', sql: 'INSERT INTO notes VALUES (3, now(), NULL)' })]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    killed.destroy();
    expect((await db.query('SELECT id FROM notes ORDER BY id')).rows).toEqual([{ id: 1 }]);
  });
});
