import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioFiles } from '../../src/studio/studio-files.ts';
import { dropPrefix, freshPrefix } from '../handoff/support.ts';
import { say, startTestApp, type TestApp } from '../support/app.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { sqlOf } from '../support/sql.ts';

/**
 * A conversation keeps the release it started its current flow with until that flow ends, across a restart and in
 * a process that never served that release (FLOWS_GRACE_MS 0: no in-memory grace at all).
 */
let database: { url: string; drop(): Promise<void> };
let prefix: string;
let t: TestApp | undefined;
const env = () => ({ DATABASE_URL: database.url, HANDOFF_QUEUE_PREFIX: prefix, FLOWS_WATCH: 'false', KB_WATCH: 'false', FLOWS_GRACE_MS: '0' });

beforeAll(async () => {
  database = await createTestDatabase();
  prefix = freshPrefix();
  t = await startTestApp(env());
}, 60_000);
afterAll(async () => {
  await t?.close();
  await dropPrefix(prefix);
  await database?.drop();
});

describe('pinning a conversation to its release', () => {
  it('a conversation in the middle of the order flow finishes on it after a release renames its step and the server restarts', { timeout: 90_000 }, async () => {
    const waiting = randomUUID();
    expect((await say(t!.url, waiting, 'm1', { text: 'where is my order' })).replies[0]!.text).toMatch(/^Happy to help!/);

    const files = new StudioFiles(sqlOf(t!.app.store), t!.app.releases.releases);
    const order = await files.get('flows/order-status.yaml');
    await files.save('flows/order-status.yaml', order.content!.replace('id: ask_number', 'id: ask_order_number').replace('Happy to help!', 'Sure!'), order.version, 'ana');
    const release = await t!.app.releases.releases.publishDrafts({ by: 'ana', message: 'renamed the ask' });
    expect(release.flowsVersion).toBe(t!.app.flows.current.version);

    await t!.close();
    t = await startTestApp(env());
    expect((await say(t.url, randomUUID(), 'm1', { text: 'where is my order' })).replies[0]!.text).toMatch(/^Sure!/);
    const finished = await say(t.url, waiting, 'm2', { text: 'BW-12345' });
    expect(finished.replies[0]!.text).toMatch(/^Good news: order BW-12345 is on its way/);
    // Its flow has ended: nothing holds the old release any more.
    await t.app.releases.pinInFlight();
    expect(t.app.flows.pinnedVersions).toEqual([]);
  });
});
