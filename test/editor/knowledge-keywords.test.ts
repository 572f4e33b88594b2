/**
 * `parley flows check` warns when a flow keyword is common in the knowledge base: used in the title, example
 * questions or headings of COMMON_IN_KNOWLEDGE (3) articles or more, it would take those articles' questions.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFlowsDir, formatProblem } from '../../src/editor/check-flows.ts';
import { yaml } from '../engine/helpers.ts';
import { article, tempDir } from '../kb/support/kb-dir.ts';
import { repoRoot } from '../support/app.ts';

const contact = yaml`
  flow: contact
  triggers:
    keywords: [store, "opening hours", phone, gift, hours]
  steps:
    - say: We are open 9 to 6.
`;

let flowsDir: string;
let kb: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  flowsDir = mkdtempSync(path.join(tmpdir(), 'parley-kbkw-flows-'));
  writeFileSync(path.join(flowsDir, 'contact.yaml'), contact);
  kb = await tempDir({
    // "store" in a title, in an example question, in a heading; the German translation of one of them does not count again.
    'visiting.md': article({ title: 'Visiting the store' }, 'Come by any day.'),
    'visiting.de.md': article({ title: 'Besuch im Laden', questions: ['Wo ist der store?'] }, 'Kommen Sie vorbei.'),
    'stock.md': article({ title: 'Stock', questions: ['Is the Wave 700 in stock in your stores?'] }, 'Ask us.'),
    'exchanges.md': article({ title: 'Exchanges' }, 'Intro.\n\n## Exchanging in the store\n\nBring the receipt.'),
    // "opening hours" as a phrase: twice as a phrase, once only as separate words; "phone" only in body text.
    'hours.md': article({ title: 'Opening hours' }, 'Call our phone line.'),
    'holidays.md': article({ title: 'Holiday opening hours' }, 'Closed on Sundays. Phone us.'),
    'support.md': article({ title: 'Support hours', questions: ['When is the opening of the hotline?'] }, 'Our phone support.'),
    'gift-cards.md': article({ title: 'Gift cards' }, 'Valid two years.'),
  });
});
afterAll(async () => {
  rmSync(flowsDir, { recursive: true, force: true });
  await kb.cleanup();
});

describe('flows check: keywords common in the knowledge base', () => {
  it('warns at the keyword, naming how many articles use it and which', async () => {
    const result = await checkFlowsDir(flowsDir, flowsDir, { knowledgeDir: kb.dir });
    expect(result.problems.map(formatProblem)).toEqual([
      'contact.yaml:3:14  warning  keyword "store" is used by 3 knowledge articles: exchanges, stock, visiting; ' +
        "questions with it may start flow 'contact' instead of being answered (make it a phrase, or leave it to the flow's examples)",
      'contact.yaml:3:51  warning  keyword "hours" is used by 3 knowledge articles: holidays, hours, support; ' +
        "questions with it may start flow 'contact' instead of being answered (make it a phrase, or leave it to the flow's examples)",
    ]);
  });

  it('no knowledge directory, no such warning', async () => {
    const result = await checkFlowsDir(flowsDir, flowsDir, { knowledgeDir: path.join(kb.dir, 'absent') });
    expect(result.problems).toEqual([]);
  });

  it('parley flows check --kb DIR prints the warning and exits 0', () => {
    const run = spawnSync(process.execPath, [path.join(repoRoot, 'bin/parley.js'), 'flows', 'check', flowsDir, '--kb', kb.dir], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const shown = path.relative(repoRoot, flowsDir);
    expect(run.stdout).toContain(`${shown}/contact.yaml:3:14  warning  keyword "store" is used by 3 knowledge articles: exchanges, stock, visiting;`);
    expect(run.stdout).toMatch(/✓ 1 flow file checked: 0 errors, 2 warnings\n$/);
  });
});
