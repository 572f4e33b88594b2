/**
 * BANKING77's dev side for calibration (never its test set): the 77 intents as flows whose examples are the first 10
 * train messages of each, and the train messages after those as queries. Null when the data set is absent.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadFlows } from '../../src/engine/load-flows.ts';
import type { FlowSet } from '../../src/engine/model.ts';
import { datasetsDir } from './data.ts';

export interface Banking77Dev {
  flows: FlowSet;
  /** Train messages `from`..`to` (0-based, exclusive) of each intent, labelled with their flow. */
  queries(from: number, to: number): Array<{ text: string; locale: string; expect: string[] }>;
}

export async function banking77Dev(): Promise<Banking77Dev | null> {
  const train = path.join(datasetsDir, 'banking77/train.csv');
  if (!existsSync(train)) return null;
  const byIntent = new Map<string, string[]>();
  for (const line of (await readFile(train, 'utf8')).split('\n').slice(1)) {
    const m = /^(?:"((?:[^"]|"")*)"|([^,]*)),(.*)$/.exec(line.trim());
    if (!m) continue;
    const intent = m[3]!.trim().replace(/[^A-Za-z0-9_-]/g, '_');
    byIntent.set(intent, [...(byIntent.get(intent) ?? []), (m[1] ?? m[2] ?? '').replace(/""/g, '"')]);
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-calibrate-'));
  try {
    for (const [name, examples] of byIntent) {
      await writeFile(path.join(tmp, `${name}.yaml`), [`flow: ${name}`, 'triggers:', '  examples:', ...examples.slice(0, 10).map((e) => `    - ${JSON.stringify(e)}`), 'steps:', '  - end: true', ''].join('\n'));
    }
    const flows = await loadFlows(tmp);
    return {
      flows,
      queries: (from, to) => [...byIntent].flatMap(([name, examples]) => examples.slice(from, to).map((text) => ({ text, locale: 'en', expect: [`flow:${name}`] }))),
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
