import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgePort } from '../../src/core/knowledge-port.ts';
import { BUILT_IN, runTurn, type EffectContext, type EffectRequest, type EffectRunner } from '../../src/engine/index.ts';
import type { ConversationLock } from '../../src/inbox/conversation-lock.ts';
import { Inbox } from '../../src/inbox/inbox.ts';
import { createLogger } from '../../src/infra/logger.ts';
import { createEffectRunner } from '../../src/integrations/effect-runner.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { Store } from '../../src/store/types.ts';
import { flowsFrom, yaml } from '../engine/helpers.ts';
import { seedPgliteDataDir } from '../support/pglite-template.ts';

/** The turn pipeline performs a flow's effects inside the turn and commits everything once. */
const flows = flowsFrom({
  'check.yaml': yaml`
    flow: check
    triggers: { keywords: [check] }
    steps:
      - call: stock
        with: { sku: "{{last_message}}" }
        save: { count: data.count }
      - answer: "How many {{count}}?"
      - say: { en: "done: {{count}}", de: "fertig: {{count}}" }
  `,
});

const oneAtATime: ConversationLock = { withLock: (_id, fn) => fn() };
const logger = createLogger({ level: 'silent', redact: true, destination: new Writable({ write: (_c, _e, done) => done() }) });

let store: Store;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'parley-inbox-'));
  await seedPgliteDataDir(dataDir);
  store = await openStore({ dataDir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function inbox(effects?: EffectRunner): Inbox {
  return new Inbox({ store, lock: oneAtATime, runTurn: (state, input) => runTurn(flows, state, input), dispatch: () => {}, logger, ...(effects ? { effects } : {}) });
}

const message = (conversationId: string, text: string, locale?: string) => ({
  address: { channel: 'test', conversationId, userId: `u-${conversationId}` },
  externalId: `${conversationId}-${text}`,
  text,
  receivedAt: new Date(),
  ...(locale ? { locale } : {}),
});

describe('effects in the turn pipeline', () => {
  it('performs the call and the knowledge base answer in one turn, in the channel’s language, and commits once', async () => {
    const seen: { request: EffectRequest; context: EffectContext }[] = [];
    const asked: { question: string; locale?: string }[] = [];
    const knowledge: KnowledgePort = {
      async answer(question, options) {
        asked.push({ question, ...(options?.locale ? { locale: options.locale } : {}) });
        return { question, results: [], confidence: 0.9, answer: 'Genug.', sources: ['Lager'] };
      },
    };
    const call = async () => ({ kind: 'call' as const, ok: true, status: 200, data: { count: 3 } });
    const runner = createEffectRunner({ call, knowledge, logger });
    const recording: EffectRunner = (request, context) => (seen.push({ request, context }), runner(request, context));

    const result = await inbox(recording).receive(message('fx-de', 'check', 'de-DE'));
    expect(result.replies.map((r) => r.text)).toEqual(['Genug.\n\nQuelle: Lager', 'fertig: 3']);
    const conversation = await store.findConversation('test', 'fx-de');
    expect(seen.map((s) => s.request)).toEqual([
      { kind: 'call', endpoint: 'stock', params: { sku: 'check' }, timeoutMs: 5000 },
      { kind: 'answer', question: 'How many 3?' },
    ]);
    expect(seen.every((s) => s.context.conversationId === conversation!.id && s.context.locale === 'de-de')).toBe(true);
    expect(asked).toEqual([{ question: 'How many 3?', locale: 'de-de' }]);
    expect(conversation!.version).toBe(1);
    expect(conversation!.state).toMatchObject({ vars: { count: 3 }, locale: 'de-de' });
    expect(conversation!.state.pendingEffect).toBeUndefined();
  });

  it('without an effect runner every call fails, and a failing knowledge base only makes the bot unsure', async () => {
    const none = await inbox().receive(message('fx-none', 'check'));
    expect(none.replies.map((r) => r.text)).toEqual([BUILT_IN.callFailed]);

    const knowledge: KnowledgePort = { answer: async () => Promise.reject(new Error('index missing')) };
    const runner = createEffectRunner({ call: async () => ({ kind: 'call', ok: true, data: { count: 1 } }), knowledge, logger });
    const unsure = await inbox(runner).receive(message('fx-kb-down', 'check'));
    expect(unsure.replies.map((r) => r.text)).toEqual([BUILT_IN.unsure]);
  });
});
