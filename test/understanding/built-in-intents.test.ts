import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_INTENTS } from '../../src/built-in-intents.ts';
import { loadFlows } from '../../src/engine/load-flows.ts';
import type { FlowSet } from '../../src/engine/model.ts';
import { DEFAULT_MIN_CONFIDENCE } from '../../src/kb/confidence.ts';
import { loadKnowledge } from '../../src/kb/load.ts';
import { Understander } from '../../src/understanding/understander.ts';
import { runRoute } from '../support/route-cli.ts';

/** Parley's own requests, ranked with the demo shop's flows and articles. */
const root = path.resolve(import.meta.dirname, '../..');
let flows: FlowSet;
let withIntents: Understander;
let without: Understander;

beforeAll(async () => {
  flows = await loadFlows(path.join(root, 'flows'));
  const { articles } = await loadKnowledge(path.join(root, 'knowledge'), { defaultLocale: 'en' });
  const knowledge = () => ({ version: 'demo', articles });
  withIntents = new Understander({ minConfidence: DEFAULT_MIN_CONFIDENCE, knowledge, intents: BUILT_IN_INTENTS });
  without = new Understander({ minConfidence: DEFAULT_MIN_CONFIDENCE, knowledge });
});

const intentOf = async (text: string, locale = 'en') => (await withIntents.understand(flows, text, { locale })).intent;

describe("Parley's own requests among the candidates", () => {
  it('takes a request in other words than its keywords, in English and German', async () => {
    expect(await intentOf('no more messages please')).toMatchObject({ name: 'consent-stop', exact: false });
    expect(await intentOf('please stop sending me these notifications')).toMatchObject({ name: 'consent-stop', exact: false });
    expect(await intentOf('bitte schickt mir keine Nachrichten mehr', 'de')).toMatchObject({ name: 'consent-stop' });
    expect(await intentOf('Ich möchte, dass ihr alles über mich löscht', 'de')).toMatchObject({ name: 'data-erase' });
    const ranked = await intentOf('no more messages please');
    expect(ranked!.confidence).toBeGreaterThanOrEqual(DEFAULT_MIN_CONFIDENCE);
  });

  it("recognises a request by its own words with certainty, whatever else matches", async () => {
    expect(await intentOf('STOP')).toEqual({ name: 'consent-stop', confidence: 1, exact: true });
    expect(await intentOf('delete my account')).toEqual({ name: 'data-erase', confidence: 1, exact: true });
    expect(await intentOf('can I speak to a human about my order')).toMatchObject({ name: 'person', exact: true });
    expect(await intentOf('link my WhatsApp +49 151 2345678')).toMatchObject({ name: 'link', exact: true });
  });

  it('leaves questions that only mention such words to the flows and articles', async () => {
    for (const question of ["my speaker won't stop beeping", 'how do I delete the app', 'what personal data do you keep on file about me?', 'can I get a copy of my invoice', 'where is my order']) {
      const understood = await withIntents.understand(flows, question, { locale: 'en' });
      expect(understood.intent, question).toBeUndefined();
      expect(understood.decision.kind, question).not.toBe('decline');
    }
  });

  it('keeps the flow or article the message would get, for when no hook takes the request', async () => {
    // The intents' examples share the index's word statistics, so confidences move a little; the outcome does not.
    const outcome = ({ confidence: _confidence, ...rest }: { confidence: number }) => rest;
    for (const text of ['no more messages please', 'delete my account', 'how long is the warranty', 'start']) {
      const a = await withIntents.understand(flows, text, { locale: 'en' });
      const b = await without.understand(flows, text, { locale: 'en' });
      expect(outcome(a.decision), text).toEqual(outcome(b.decision));
    }
    expect((await without.understand(flows, 'no more messages please')).intent).toBeUndefined();
  });

  it('says why in the debug reason', async () => {
    expect((await withIntents.understand(flows, 'no more messages please')).why).toMatch(/Parley's own request consent-stop: it ranked first at confidence/);
    expect((await withIntents.understand(flows, 'STOP')).why).toMatch(/Parley's own request consent-stop: its own words recognise it/);
  });
});

describe('parley route names the request', () => {
  it('writes the intent beside the decision, and leaves it out with --no-intents', async () => {
    const run = async (extra: string[]) =>
      (await runRoute(extra, 'no more messages please\nhow long is the warranty\n', { LOG_LEVEL: 'silent' })).trim().split('\n').map((line) => JSON.parse(line) as { kind: string; intent: string | null });
    const [stop, warranty] = await run([]);
    expect(stop).toMatchObject({ intent: 'consent-stop' });
    expect(warranty).toMatchObject({ kind: 'knowledge', intent: null });
    const [plain] = await run(['--no-intents']);
    expect(plain!.intent).toBeNull();
  }, 60_000);
});
