import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';
import { repoRoot, startTestApp } from '../support/app.ts';
import { seedPgliteDataDir } from '../support/pglite-template.ts';
import { sqlOf } from '../support/sql.ts';

const echoFlows = path.join(repoRoot, 'test/fixtures/flows-echo');

describe('graceful shutdown', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-shutdown-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lets turns under way finish and leaves nothing half-written', { timeout: 90_000 }, async () => {
    // A data directory given to startTestApp is used as it is: this one starts as after a first start (not what is under test).
    await seedPgliteDataDir(dataDir);
    const t = await startTestApp({ FLOWS_DIR: echoFlows, DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    const sends = Array.from({ length: 30 }, (_, i) =>
      fetch(`${t.url}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: `stop-${i % 10}`, messageId: `m${i}`, text: `n${i}` }),
      }).then(
        async (response) => ({ status: response.status, body: (await response.json()) as { replies?: unknown[] } }),
        () => ({ status: 0, body: {} as { replies?: unknown[] } }),
      ),
    );
    // Closed once the first turn is answered, with the others still under way (a fixed wait missed them all on a busy machine).
    await Promise.race(sends);
    await t.app.close();
    const results = await Promise.all(sends);

    const store = await openStore({ dataDir });
    try {
      const answered = results.filter((r) => r.status === 200);
      expect(answered.length).toBeGreaterThan(0);
      for (const result of answered) expect(result.body.replies?.length).toBeGreaterThan(0);
      for (const result of results) expect([0, 200, 503]).toContain(result.status);
      const unprocessed = await store.conversationsWithPendingInbound(100);
      expect(unprocessed).toEqual([]);
      const orphans = await sqlOf(store).query(
        `SELECT i.id FROM messages i WHERE i.direction = 'in' AND NOT EXISTS (SELECT 1 FROM messages o WHERE o.in_reply_to = i.id)`,
      );
      expect(orphans.rowCount).toBe(0);
    } finally {
      await store.close();
    }
  });
});
