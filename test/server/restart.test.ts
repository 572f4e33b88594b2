import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { say } from '../support/app.ts';
import { seedPgliteDataDir } from '../support/pglite-template.ts';
import { makeDataDir, removeDataDir, startServerProcess, type ServerProcess } from '../support/server-process.ts';

/**
 * A customer mid-flow when the server restarts (deploy, crash, OOM kill) picks up where they left off:
 * the flow's position and what they already answered live in the data directory, not in the process.
 */
describe('a conversation survives a server restart on the same data directory', () => {
  let server: ServerProcess | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    if (dataDir) removeDataDir(dataDir);
    dataDir = undefined;
  });

  // Two cold starts of a server process each. The data directory starts from an initialized PGlite, as after a
  // first start: what is under test is the second start, and initdb would add seconds of CPU to the first.
  it.each(['SIGTERM', 'SIGKILL'] as const)('after %s, the answer to the pending question continues the order-status flow', { timeout: 180_000 }, async (signal) => {
    dataDir = makeDataDir();
    await seedPgliteDataDir(dataDir);
    const conversationId = `restart-${signal}-${randomUUID()}`;

    server = await startServerProcess({ dataDir });
    const asked = await say(server.url, conversationId, 'm1', { text: 'where is my order' });
    expect(asked.replies.map((r) => r.text).join('\n')).toMatch(/order number/i);

    const stopped = await server.stop(signal);
    if (signal === 'SIGTERM') expect(stopped).toEqual({ code: 0, signal: null });
    else expect(stopped.signal).toBe('SIGKILL');

    server = await startServerProcess({ dataDir });
    const answered = await say(server.url, conversationId, 'm2', { text: 'BW-48213' });
    const next = answered.replies.map((r) => r.text).join('\n');
    // The flow looked this very order up (the demo order API does not know it) and asks again: not the greeting,
    // the fallback, or the retry prompt.
    expect(next).toContain("I couldn't find an order with the number BW-48213.");
    expect(next).toMatch(/type it again/);
    expect(next).not.toMatch(/welcome|not sure I understood|doesn't look like an order number/i);

    const finished = await say(server.url, conversationId, 'm3', { text: 'BW-12345' });
    expect(finished.replies.map((r) => r.text).join('\n')).toMatch(/^Good news: order BW-12345 is on its way with UPS/);

    // A message the channel delivers again after the restart is recognised and not answered twice.
    const redelivered = await say(server.url, conversationId, 'm2', { text: 'BW-48213' });
    expect(redelivered.duplicate).toBe(true);
    expect(redelivered.replies).toEqual(answered.replies);

    // The history the widget shows is the whole conversation, once, in order.
    const history = await fetch(`${server.url}/api/webchat/conversations/${conversationId}/messages`);
    expect(history.status).toBe(200);
    const { messages } = (await history.json()) as { messages: { direction: string; text: string | null }[] };
    const customerSaid = messages.filter((m) => m.direction === 'in').map((m) => m.text);
    expect(customerSaid).toEqual(['where is my order', 'BW-48213', 'BW-12345']);
    expect(messages.map((m) => m.direction)).toEqual(['in', 'out', 'in', 'out', 'out', 'in', 'out']);
  });
});
