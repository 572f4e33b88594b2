import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskLine } from '../../src/cli/kb-ask.ts';
import { SqlGapStore } from '../../src/kb/gap-store.ts';
import { openStore } from '../../src/store/index.ts';
import { seedPgliteDataDir } from '../support/pglite-template.ts';
import { article, demoKnowledge, tempDir } from './support/kb-dir.ts';
import { runCli } from './support/run-cli.ts';
import { sqlOf } from '../support/sql.ts';

let dataDir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: dataDir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

const parse = (stdout: string) => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as AskLine);

describe('parley kb ask', () => {
  it('reads one question per line and writes one JSON line per question, in order', async () => {
    const questions = ['Is the Pulse Mini waterproof?', 'what is the capital of france', '', 'can I pay with klarna'];
    const result = await runCli(['kb', 'ask', '--kb', demoKnowledge], { stdin: `${questions.join('\n')}\n`, env: { DATA_DIR: dataDir } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = parse(result.stdout);
    expect(lines.map((l) => l.question)).toEqual(questions);
    for (const line of lines) expect(Object.keys(line)).toEqual(['question', 'results', 'confidence', 'answer', 'sources']);
    const [pulse, france, empty, klarna] = lines;
    expect(pulse!.results.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(pulse!.results[0]!)).toEqual(['id', 'title', 'score']);
    expect(pulse!.results[0]!.id).toBe('products/pulse-mini');
    expect(pulse!.answer).toMatch(/IP67/);
    expect(pulse!.sources).toEqual(['Pulse Mini Bluetooth speaker']);
    expect(france).toMatchObject({ answer: null, sources: [] });
    expect(france!.confidence).toBeLessThan(0.65);
    expect(empty).toEqual({ question: '', results: [], confidence: 0, answer: null, sources: [] });
    expect(klarna!.results[0]!.id).toBe('orders/payment-methods');
  });

  it('answers a thousand questions in one call, one line each, in order', async () => {
    const pool = ['how long does delivery take', 'is the wave 700 on sale', 'do you sell gift cards', 'can I return opened headphones', 'where is your store', 'my laptop will not turn on', 'how much is the halo hub', 'is shipping free to belgium'];
    const questions = Array.from({ length: 1000 }, (_, i) => `${pool[i % pool.length]} ${i}`);
    const result = await runCli(['kb', 'ask', '--kb', demoKnowledge], { stdin: questions.join('\n'), env: { DATA_DIR: dataDir } });
    expect(result.code).toBe(0);
    const lines = parse(result.stdout);
    expect(lines.map((l) => l.question)).toEqual(questions);
    expect(lines.every((l) => l.results.length >= 5)).toBe(true);
    // How fast is measured by `npm run bench -- kb-query`, not asserted here.
  });

  it('fills {{opening_hours}} as the server does: the setting, else the demo shop\'s week', async () => {
    const question = ['kb', 'ask', '--kb', demoKnowledge, 'when can I chat with a person'];
    const unset = await runCli(question, { env: { DATA_DIR: dataDir } });
    expect(unset.stdout).toContain('During our opening hours (Monday to Friday 09:00–18:00, Saturday 10:00–17:00; closed on Sunday and on holidays) a colleague takes over the chat');
    const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((day) => [day, '08:00-20:00']));
    const set = await runCli(question, { env: { DATA_DIR: dataDir, OPENING_HOURS: JSON.stringify({ timeZone: 'UTC', week }) } });
    expect(set.stdout).toContain('During our opening hours (Monday to Saturday 08:00–20:00; closed on Sunday and on holidays)');
    expect(set.stdout).not.toContain('{{');
  });

  it('with a question: a readable answer, or one JSON line with --json', async () => {
    const readable = await runCli(['kb', 'ask', '--kb', demoKnowledge, 'do you deliver on sundays?'], { env: { DATA_DIR: dataDir } });
    expect(readable.code).toBe(0);
    // The sentence that answers the question, not the passage's opening.
    expect(readable.stdout).toMatch(/^Answer \(confidence 0\.\d\d; source: Delivery times\):\n\n {2}We don't deliver on Sundays/);
    expect(readable.stdout).toContain('Results:\n   1. Delivery times  [shipping/delivery-times]');
    const json = await runCli(['kb', 'ask', '--json', '--kb', demoKnowledge, 'tell', 'me', 'a', 'joke'], { env: { DATA_DIR: dataDir } });
    expect(parse(json.stdout)).toHaveLength(1);
    expect(parse(json.stdout)[0]).toMatchObject({ question: 'tell me a joke', answer: null });
  });

  it('uses KNOWLEDGE_DIR without --kb', async () => {
    const { dir, cleanup: done } = await tempDir({ 'only.md': article({ title: 'Only article', questions: ['What is the only article?'] }, 'This is the only article.') });
    try {
      const result = await runCli(['kb', 'ask', '--json', 'what is the only article'], { env: { DATA_DIR: dataDir, KNOWLEDGE_DIR: dir } });
      expect(parse(result.stdout)[0]).toMatchObject({ answer: 'This is the only article.', sources: ['Only article'] });
    } finally {
      await done();
    }
  });
});

describe('parley kb check and stats', () => {
  it('check: broken files as path:line on stdout, exit 1; a clean base exits 0', async () => {
    const { dir, cleanup: done } = await tempDir({
      'good.md': article({ title: 'Good' }, 'Fine.'),
      'bad.md': '---\ntitle: Bad\ntags: [a\n---\ntext',
      'faq.jsonl': '{"id": "x", "title": "X", "answer": "Yes."}\n{"id": "y", "title": "Y"}\n',
    });
    try {
      const broken = await runCli(['kb', 'check', '--kb', dir], { cwd: dir, env: { DATA_DIR: dataDir } });
      expect(broken.code).toBe(1);
      expect(broken.stdout.split('\n')).toEqual([expect.stringMatching(/^bad\.md:3: YAML: /), "faq.jsonl:2: missing required field 'answer'", '']);
      expect(broken.stderr).toBe('.: 2 problems (3 files, 2 articles, 2 passages loaded)\n');
      const clean = await runCli(['kb', 'check', '--kb', demoKnowledge], { env: { DATA_DIR: dataDir } });
      expect(clean.code).toBe(0);
      expect(clean.stdout).toMatch(/^knowledge: ok, \d+ files, \d+ articles, \d+ passages\n$/);
    } finally {
      await done();
    }
  });

  it('stats --json counts articles, passages and articles per locale', async () => {
    const result = await runCli(['kb', 'stats', '--json', '--kb', demoKnowledge], { env: { DATA_DIR: dataDir } });
    const stats = JSON.parse(result.stdout) as { articles: number; passages: number; locales: Record<string, number>; issues: number };
    expect(stats.articles).toBeGreaterThanOrEqual(30);
    expect(stats.passages).toBeGreaterThan(stats.articles);
    // Every demo article is in English and German.
    expect(stats.locales).toEqual({ en: stats.articles / 2, de: stats.articles / 2 });
    expect(stats.issues).toBe(0);
  });

  it('an unknown subcommand is a usage error', async () => {
    const result = await runCli(['kb', 'frobnicate'], { env: { DATA_DIR: dataDir } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^parley kb: unknown command 'frobnicate'/);
  });
});

describe('a missing or wrong knowledge directory', () => {
  it('is one line naming the argument or setting and the path, with the configuration exit code, never a stack trace', async () => {
    const missing = path.join(dataDir, 'no-such-knowledge');
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['kb', 'ask', '--kb', missing, 'hello'], {}, /^parley: the knowledge directory .*no-such-knowledge does not exist \(--kb\)\n$/],
      [['kb', 'check', '--kb', path.join(demoKnowledge, 'faq.jsonl')], {}, /^parley: the knowledge directory .*faq\.jsonl is not a directory \(--kb\)\n$/],
      [['kb', 'stats'], { KNOWLEDGE_DIR: missing }, /^parley: the knowledge directory .*no-such-knowledge does not exist \(KNOWLEDGE_DIR\)\n$/],
      [['route', '--kb', missing], {}, /^parley: the knowledge directory .*no-such-knowledge does not exist \(--kb\)\n$/],
      [['start'], { KNOWLEDGE_DIR: missing }, /^parley: the knowledge directory .*no-such-knowledge does not exist \(KNOWLEDGE_DIR\)\n$/],
    ];
    for (const [args, env, message] of cases) {
      const result = await runCli(args, { env: { DATA_DIR: dataDir, ...env } });
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.code, args.join(' ')).toBe(78);
      expect(result.stdout).toBe('');
    }
  });

  it('run from inside the knowledge directory, says how to use it', async () => {
    const result = await runCli(['kb', 'stats'], { cwd: demoKnowledge, env: { DATA_DIR: dataDir } });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/the knowledge directory .*knowledge\/knowledge does not exist \(KNOWLEDGE_DIR\); the working directory holds \.md files: to use it, pass --kb \.\n$/);
    const used = await runCli(['kb', 'stats', '--kb', '.', '--json'], { cwd: demoKnowledge, env: { DATA_DIR: dataDir } });
    expect(used.code).toBe(0);
    expect((JSON.parse(used.stdout) as { articles: number }).articles).toBeGreaterThan(10);
  });
});

describe('parley kb gaps', () => {
  it('lists recorded gaps grouped, most frequent first', async () => {
    const { dir, cleanup: done } = await tempDir();
    try {
      await seedPgliteDataDir(dir);
      const store = await openStore({ dataDir: dir });
      const gaps = new SqlGapStore(sqlOf(store));
      for (const question of ['do you sell lawn mowers?', 'gift cards?', 'can I buy a gift card', 'Do you sell gift cards?', 'Do you sell gift cards?']) {
        await gaps.record({ question, confidence: 0.3, nearestArticleId: 'faq/gift-wrapping', locale: 'en', at: new Date() });
      }
      await store.close();
      const result = await runCli(['kb', 'gaps'], { env: { DATA_DIR: dir } });
      expect(result.code).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe(' 4×  Do you sell gift cards?');
      expect(lines).toContain('     also: gift cards?');
      expect(result.stdout).toContain(' 1×  do you sell lawn mowers?');
      const json = await runCli(['kb', 'gaps', '--json', '--limit', '1'], { env: { DATA_DIR: dir } });
      expect(json.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { count: number })).toMatchObject([{ count: 4 }]);
    } finally {
      await done();
    }
  }, 90_000); // three openings of the embedded database
});
