import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFlowsDir, formatProblem, summarize } from '../../src/editor/check-flows.ts';
import { isFlowFile } from '../../src/engine/load-flows.ts';
import { demoFlowsDir, repoRoot } from '../support/app.ts';

/** The fenced block of docs/flows.md whose first line starts with `firstLine`, without that line. */
function docsBlock(firstLine: string): string[] {
  const docs = readFileSync(path.join(repoRoot, 'docs/flows.md'), 'utf8');
  const block = docs.split(/^```[a-z]*\n/m).find((text) => text.startsWith(firstLine));
  if (!block) expect.fail(`docs/flows.md has no block starting with ${firstLine}`);
  return block.split('\n').slice(1).filter((line) => line !== '');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-check-docs-'));
  mkdirSync(path.join(dir, 'flows'));
  for (const file of readdirSync(demoFlowsDir).filter(isFlowFile)) copyFileSync(path.join(demoFlowsDir, file), path.join(dir, 'flows', file));
  writeFileSync(path.join(dir, 'flows/warranty.yaml'), `${docsBlock('# flows/warranty.yaml').join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/flows.md's example of `parley flows check`", () => {
  it('shows what the command prints for the new flow beside the demo flows, and its summary line', async () => {
    const shown = docsBlock('$ parley flows check');
    const result = await checkFlowsDir(path.join(dir, 'flows'), dir, { knowledgeDir: path.join(repoRoot, 'knowledge') });
    const printed = [...result.problems.map(formatProblem), summarize(result)];
    // The docs leave out the demo flows' own warnings, so the new flow's lines and the summary must match exactly.
    expect(printed.filter((line) => line.startsWith('flows/warranty.yaml:') || !line.startsWith('flows/'))).toEqual(shown);
  });
});
