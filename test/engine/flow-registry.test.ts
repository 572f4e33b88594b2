import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowRegistry } from '../../src/engine/flow-registry.ts';
import { runTurn, type ConversationState } from '../../src/engine/index.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { yaml } from './helpers.ts';
import { until } from '../support/poll.ts';

const v1 = yaml`
  flow: order
  triggers: { keywords: [order] }
  steps:
    - id: number
      ask: "Order number?"
      var: number
    - id: email
      ask: "Email?"
      var: email
    - say: "v1: {{number}} {{email}}"
`;
/** The number question is gone; the email question is still there, and what follows it changed. */
const v2 = yaml`
  flow: order
  triggers: { keywords: [order] }
  steps:
    - id: account
      ask: "Account id?"
      var: account
    - id: email
      ask: "Email?"
      var: email
    - say: "v2: {{account}} {{email}}"
`;

let dir: string;
let logs: string[];
let clock: number;
let registry: FlowRegistry | undefined;

async function open(graceMs = 60_000): Promise<FlowRegistry> {
  const destination = new Writable({ write: (chunk: Buffer, _e, done) => (logs.push(chunk.toString()), done()) });
  registry = await FlowRegistry.open({ dir, logger: createLogger({ level: 'debug', redact: true, destination }), graceMs, debounceMs: 50, now: () => clock });
  return registry;
}

/** One customer turn on whichever flow set the registry picks for the conversation. */
function send(flows: FlowRegistry, state: ConversationState, text: string) {
  const result = runTurn(flows.forState(state), state, { text });
  return { state: result.state, said: result.actions.flatMap((a) => (a.type === 'say' ? [a.message.text] : [])) };
}


beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'parley-flows-'));
  await writeFile(path.join(dir, 'order.yaml'), v1);
  logs = [];
  clock = 1_000;
});
afterEach(async () => {
  await registry?.close();
  registry = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('FlowRegistry.reload', () => {
  it('publishes a set that loads clean, and keeps serving the last good one when a file is broken', async () => {
    const flows = await open();
    const first = flows.current.version;
    await writeFile(path.join(dir, 'order.yaml'), v1.replace('var: email', 'var: e mail'));
    const refused = await flows.reload();
    expect(refused).toMatchObject({ ok: false, version: first, changed: false });
    expect(refused.issues).toEqual([{ file: path.join(dir, 'order.yaml'), line: 9, col: 10, message: "var 'e mail' must be letters, digits or _, starting with a letter" }]);
    expect(flows.current.version).toBe(first);
    expect(logs.join('')).toContain(`"at":"${path.join(dir, 'order.yaml')}:9:10"`);

    await writeFile(path.join(dir, 'order.yaml'), v2);
    const published = await flows.reload();
    expect(published).toEqual({ ok: true, version: flows.current.version, changed: true, issues: [] });
    expect(published.version).not.toBe(first);
    expect(await flows.reload()).toMatchObject({ ok: true, changed: false });
  });

  it('reloads by itself when a flow file changes, but not with a broken file', async () => {
    const flows = await open();
    await flows.watch();
    const first = flows.current.version;
    await writeFile(path.join(dir, 'order.yaml'), 'flow: order\nsteps:\n  - sya: oops\n');
    await until(() => logs.join(''), (text) => text.includes('flows not reloaded'), 'the broken file to be refused');
    expect(flows.current.version).toBe(first);
    expect(logs.join('')).toContain('order.yaml:3:5');
    await writeFile(path.join(dir, 'order.yaml'), v2);
    await until(() => flows.current.version, (version) => version !== first, 'the fixed file to be published');
    expect(send(flows, { vars: {} }, 'order').said).toEqual(['Account id?']);
  });
});

describe('a conversation in the middle of a flow that changed', () => {
  async function midFlow(at: 'number' | 'email') {
    const flows = await open();
    let state = send(flows, { vars: {} }, 'order').state;
    if (at === 'email') state = send(flows, state, 'BW-1').state;
    expect(state.awaiting?.step).toBe(at);
    await writeFile(path.join(dir, 'order.yaml'), v2);
    expect((await flows.reload()).changed).toBe(true);
    return { flows, state };
  }

  it('within the grace period, finishes on the version it started on, even though its step was removed', async () => {
    const { flows, state } = await midFlow('number');
    const answered = send(flows, state, 'BW-1');
    expect(answered.said).toEqual(['Email?']);
    expect(send(flows, answered.state, 'ana@example.com').said).toEqual(['v1: BW-1 ana@example.com']);
    expect(send(flows, { vars: {} }, 'order').said).toEqual(['Account id?']);
  });

  it('after the grace period, a conversation whose step was removed restarts the flow instead of staying on a missing step', async () => {
    const { flows, state } = await midFlow('number');
    clock += 60_000;
    const moved = send(flows, state, 'BW-1');
    expect(moved.said).toEqual(['Account id?']);
    expect(moved.state.awaiting).toEqual({ flow: 'order', step: 'account', attempts: 0 });
    expect(moved.state.flowVersion).toBe(flows.current.version);
  });

  it('after the grace period, a conversation whose step still exists continues there on the new version', async () => {
    const { flows, state } = await midFlow('email');
    clock += 60_000;
    expect(send(flows, state, 'ana@example.com').said).toEqual(['v2:  ana@example.com']);
  });

  it('an idle conversation always gets the current version', async () => {
    const { flows } = await midFlow('number');
    const idle: ConversationState = { vars: {}, flowVersion: 'old' };
    expect(flows.forState(idle)).toBe(flows.current);
  });
});
