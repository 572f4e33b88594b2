import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandoffStore } from '../../src/handoff/handoff-store.ts';
import { activity, FakeConnector, postActivity } from '../channels/botframework/support.ts';
import { repoRoot, say } from '../support/app.ts';
import { until } from '../support/poll.ts';
import { ADMIN_TOKEN, ANA, METRICS_TOKEN, MIA, call, driveConversations, startReportApp, type ReportApp } from './support.ts';
import { sqlOf } from '../support/sql.ts';

/** The report's figures from a real conversation set on the demo shop, through the API, the CLI and /metrics. */
const run = promisify(execFile);
let t: ReportApp;
let driven: Awaited<ReturnType<typeof driveConversations>>;

async function report(query = 'since=1d&quiet=0m') {
  const response = await call(t.url, `/admin/api/report?${query}`, ADMIN_TOKEN);
  expect(response.status).toBe(200);
  return response.json;
}

beforeAll(async () => {
  t = await startReportApp();
  driven = await driveConversations(t.url);
  // First-response times need the replies delivered (sent_at), which the outbox does just after each turn.
  await until(() => report(), (r) => r.totals.firstResponseMs.count === 5, 'every first reply delivered');
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('the voice-of-the-customer report', () => {
  it('asks for the rating when a bot conversation closes, and only once per conversation', () => {
    expect(driven.ratingQuestion).toEqual(["You're welcome, glad I could help! Before you go: how would you rate this conversation, from 1 (poor) to 5 (excellent)?"]);
    expect(driven.askedAgain).toEqual(["You're welcome! Write any time if you need anything else."]);
  });

  it('computes containment, handoff reasons, time to a person, ratings, drop-off and gaps from the conversations', async () => {
    const r = await report();
    expect(r.totals).toMatchObject({ conversations: 5, contained: 3, containment: 0.6, handoffs: 2, dropOffs: 1, rating: { average: 4.5, count: 2 } });
    expect(r.totals.timeToPersonMs.count).toBe(1);
    expect(r.totals.firstResponseMs.median).toBeGreaterThanOrEqual(0);
    expect(r.handoffReasons).toEqual([
      { reason: 'ask_failed', label: 'question not answered after retries', count: 1 },
      { reason: 'customer_request', label: 'asked for a person', count: 1 },
    ]);
    expect(r.dropOff).toEqual([{ flow: 'order_status', step: 'ask_number', reached: 3, dropped: 1, rate: 1 / 3 }]);

    const flow = (name: string) => r.byFlow.find((f: { flow: string }) => f.flow === name);
    expect(flow('order_status')).toMatchObject({ conversations: 3, contained: 2, handoffs: 1, handoffsByReason: { ask_failed: 1 }, dropOffs: 1 });
    expect(flow('human')).toMatchObject({ conversations: 1, contained: 0, handoffs: 1, rating: { average: 4, count: 1 } });
    expect(flow('greeting')).toMatchObject({ rating: { average: 5, count: 1 } });
    expect(r.byChannel).toHaveLength(1);
    expect(r.byChannel[0]).toMatchObject({ channel: 'web', conversations: 5 });
    const today = new Date().toISOString().slice(0, 10);
    expect(r.byDay.find((d: { day: string }) => d.day === today)).toMatchObject({ conversations: 5, contained: 3 });
    expect(r.breakdown).toContainEqual(expect.objectContaining({ day: today, channel: 'web', flow: 'order_status', conversations: 3, dropOffs: 1 }));
    expect(r.breakdown).toContainEqual(expect.objectContaining({ day: today, channel: 'web', flow: null, conversations: 5 }));
    expect(r.gaps.map((g: { question: string }) => g.question)).toContain('do you sell lawn mowers?');

    // A conversation waiting on a question is not a drop-off until it has been quiet for the quiet period (30 min).
    expect((await report('since=1d')).totals.dropOffs).toBe(0);
  });

  it('stores the handoff rating on the handoff too, and refuses bad input and non-admins', async () => {
    const { rows } = await sqlOf(t.app.store).query<{ rating: number }>(`SELECT rating FROM handoffs WHERE trigger = 'customer_request'`);
    expect(rows.map((row) => Number(row.rating))).toEqual([4]);
    expect((await call(t.url, '/admin/api/report?since=yesterday', ADMIN_TOKEN)).status).toBe(400);
    expect((await call(t.url, '/admin/api/report?since=7d&x=1', ADMIN_TOKEN)).status).toBe(400);
    expect((await call(t.url, '/admin/api/report', undefined)).status).toBe(401);
    expect((await call(t.url, '/admin/api/report', ANA.token)).status).toBe(401);
    const page = await call(t.url, '/admin/report', undefined);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/agent/login?next=%2Fadmin%2Freport');
  });

  it('`parley report` prints the same figures, as JSON and as tables', async () => {
    const env = { ...process.env, DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent', FLOWS_WATCH: 'false' };
    const bin = path.join(repoRoot, 'bin/parley.js');
    // Three processes at once: each opens the database on its own (a few seconds on a busy machine).
    const [jsonRun, textRun, bad] = await Promise.all([
      run(process.execPath, [bin, 'report', '--since', '1d', '--quiet', '0m', '--json'], { env, cwd: repoRoot }),
      run(process.execPath, [bin, 'report', '--since', '1d', '--quiet', '0m'], { env, cwd: repoRoot }),
      run(process.execPath, [bin, 'report', '--since', 'last week'], { env, cwd: repoRoot }).catch((error: { code: number; stderr: string }) => error),
    ]);
    const json = JSON.parse(jsonRun.stdout);
    const api = await report();
    expect(json.totals).toEqual(api.totals);
    expect(json.dropOff).toEqual(api.dropOff);
    const text = textRun.stdout;
    expect(text).toMatch(/^all\s+5\s+60%\s+2\s/m);
    expect(text).toMatch(/^order_status · ask_number\s+3\s+1\s+33%$/m);
    expect(text).toContain('asked for a person');
    expect(text).toContain('do you sell lawn mowers?');
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain("since must be a duration such as 7d");
  }, 90_000);

  it('serves /metrics to the metrics token only: turn latency, queue depths, handoff wait, delivery failures, process', async () => {
    expect((await call(t.url, '/metrics', undefined)).status).toBe(401);
    expect((await call(t.url, '/metrics', ADMIN_TOKEN)).status).toBe(401);
    const scrape = async () => {
      const metrics = await call(t.url, '/metrics', METRICS_TOKEN);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const samples = new Map<string, number>();
      for (const line of metrics.text.split('\n')) {
        const match = /^([a-z_:]+(?:\{[^}]*\})?) ([-+\d.eE]+|NaN)$/.exec(line);
        if (match) samples.set(match[1]!, Number(match[2]));
      }
      return { text: metrics.text, samples };
    };
    const { text, samples } = await scrape();
    const turns = [...samples].filter(([name]) => name.startsWith('parley_turn_duration_seconds_count{'));
    // The 16 customer turns of driveConversations.
    expect(turns.reduce((sum, [, n]) => sum + n, 0)).toBe(16);
    expect(samples.get('parley_handoff_wait_seconds_count{queue="support"}')).toBe(1);
    expect(samples.get('parley_handoffs_waiting')).toBe(1);
    expect(samples.get('parley_handoff_oldest_wait_seconds')).toBeGreaterThan(0);
    expect(samples.has('parley_handoff_queue_jobs{state="waiting"}')).toBe(true);
    expect(samples.get('parley_outbox_pending')).toBe(0);
    expect(text).toContain('# TYPE parley_delivery_failures_total counter');
    expect(samples.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);

    // A Bot Framework conversation whose serviceUrl refuses the replies for good (404): one failure per refused
    // reply, by channel, once every reply of the turn has settled.
    const connector = await new FakeConnector().start();
    const conversationId = `${randomUUID()}|livechat`;
    const outbound = async (status: string) => Number((await sqlOf(t.app.store).query<{ n: string }>(
      `SELECT count(*)::text AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE c.external_id = $1 AND m.direction = 'out' AND m.status = $2`, [conversationId, status])).rows[0]?.n);
    const label = 'parley_delivery_failures_total{channel="botframework",kind="rejected"}';
    try {
      connector.status = 404;
      await postActivity(t.url, activity('message', { conversationId, id: randomUUID(), serviceUrl: connector.url }));
      const settled = async () => ({ pending: await outbound('pending'), failed: await outbound('failed'), metrics: await scrape() });
      await until(settled, (x) => x.pending === 0 && x.failed >= 1 && x.metrics.samples.get(label) === x.failed, 'a failure counted for each refused reply');
    } finally {
      await connector.close();
    }
  });

  it('logs one structured line per turn with ids and timings, never what the customer wrote', () => {
    const turns = t.logs.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((entry) => entry.event === 'turn');
    // One per turn: the 16 web chat turns (and the Bot Framework one of the metrics test).
    expect(turns.filter((entry) => entry.channel === 'web')).toHaveLength(16);
    const lookup = turns.find((entry) => entry.flow === 'order_status' && entry.step === 'ask_number');
    expect(lookup).toMatchObject({ channel: 'web', mode: 'bot', outcome: 'replied', msg: 'turn committed' });
    expect(lookup.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(lookup.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(lookup.duration_ms).toBeGreaterThanOrEqual(0);
    expect(lookup.replies).toBe(1);
    expect(turns.some((entry) => entry.outcome === 'handoff')).toBe(true);
    const all = t.logs.join('');
    for (const said of ['do you sell drones', 'real person', 'hasn', 'the blue one', 'Thanks, bye', '23456789', '+49 151']) expect(all).not.toContain(said);
  });

  it('erasing a customer removes their analytics rows and their part of the report', async () => {
    const db = sqlOf(t.app.store);
    const c1 = (await t.app.store.findConversation('web', 'c1'))!;
    const before = (await report()).totals;
    const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE customer_id = $1`, [c1.customerId])).rows[0]!.n);
    expect(await count('analytics_turns')).toBe(4);
    expect(await count('conversation_ratings')).toBe(1);
    await db.query('DELETE FROM customers WHERE id = $1', [c1.customerId]);
    expect(await count('analytics_turns')).toBe(0);
    expect(await count('conversation_ratings')).toBe(0);
    // c1 was contained and rated 5: it leaves the conversations, the contained ones and the ratings.
    const after = (await report()).totals;
    expect(after).toMatchObject({ conversations: before.conversations - 1, contained: before.contained - 1, rating: { average: 4, count: 1 } });
  });

  it('does not ask again after a handoff when the conversation was asked before', async () => {
    await say(t.url, 'c6', 'm1', { text: 'hi' });
    expect((await say(t.url, 'c6', 'm2', { text: 'thanks!' })).replies[0]?.buttons).toHaveLength(5);
    await say(t.url, 'c6', 'm3', { text: '5' });
    await say(t.url, 'c6', 'm4', { text: 'can I talk to a real person' });
    const handoff = await until(async () => (await call(t.url, '/agent/api/handoffs', MIA.token)).json.handoffs, (list: any[]) => list.some((h) => h.status === 'waiting' && h.trigger === 'customer_request'), 'the handoff');
    const id = handoff.find((h: any) => h.trigger === 'customer_request').id;
    expect((await call(t.url, `/agent/api/handoffs/${id}/resolve`, MIA.token, { outcome: 'solved' })).status).toBe(200);
    const conversation = (await t.app.store.findConversation('web', 'c6'))!;
    // The closing notice, then the bot's menu at once (no rating question).
    const last = await until(async () => (await t.app.store.transcript(conversation.id, { limit: 1000 })).find((m) => m.text?.startsWith('Your conversation with Mia')), (m) => m !== undefined, 'the closing line');
    expect(last!.text).toBe('Your conversation with Mia is finished.');
    expect(last!.buttons).toEqual([]);
    const ratings = await sqlOf(t.app.store).query<{ rating: number }>('SELECT rating FROM conversation_ratings WHERE conversation_id = $1', [conversation.id]);
    expect(ratings.rows.map((row) => Number(row.rating))).toEqual([5]);
    expect(await new HandoffStore(sqlOf(t.app.store)).get(id)).toMatchObject({ status: 'resolved', rating: null });
  });
});
