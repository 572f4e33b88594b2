import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.ts';
import { PREVIEW_TTL_MS, StudioPreview } from '../../src/studio/preview.ts';

/** Preview conversations are forgotten after PREVIEW_TTL_MS without a message (issue 16: "preview conversations expire"). */
const FILES = {
  'flows/survey.yaml': `flow: survey
triggers:
  start: true
steps:
  - id: ask_name
    ask: "What's your name?"
    var: name
  - say: "Thanks, {{name}}!"
`,
  'knowledge/hours.md': '---\ntitle: Opening hours\nquestions:\n  - when are you open?\n---\nWe are open every day.\n',
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-preview-expiry-'));
let clock = Date.parse('2026-12-06T09:00:00Z');
const preview = new StudioPreview({ dataDir, minConfidence: 0.5, logger: createLogger({ level: 'silent', redact: true }), now: () => clock });
afterAll(async () => {
  await preview.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a preview conversation', () => {
  it('is kept while the editor goes on, and forgotten after its time without a message', { timeout: 60_000 }, async () => {
    expect(await preview.turn('eve', FILES, { conversationId: 'p1' })).toMatchObject({ flow: 'survey', step: 'ask_name' });
    clock += PREVIEW_TTL_MS - 1_000;
    expect(await preview.turn('eve', FILES, { conversationId: 'p1', text: 'Ada' })).toMatchObject({ replies: [{ text: 'Thanks, Ada!' }] });

    await preview.turn('eve', FILES, { conversationId: 'p2' });
    clock += PREVIEW_TTL_MS + 1_000;
    // p2 was forgotten: the same id is a new conversation, whose first message the flow does not take as a name.
    const again = await preview.turn('eve', FILES, { conversationId: 'p2', text: 'Grace' });
    expect(again.replies.map((reply) => reply.text)).not.toContain('Thanks, Grace!');
    expect(again.vars).not.toHaveProperty('name');
  });
});
