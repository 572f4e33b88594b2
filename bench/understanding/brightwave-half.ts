/**
 * A half of the Brightwave labelled set (eval/brightwave): its first file (`dev.jsonl`, `test.jsonl`) and the pairs
 * added after figures were reported on it (`dev-2.jsonl`, …; see eval/brightwave/README.md).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Labelled {
  text: string;
  locale: string;
  expect: string[];
  tags?: string[];
}

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../eval/brightwave');

/** `withAdded: false`: the first file alone (what the confidence models were fitted on). */
export async function brightwaveHalf(half: string, withAdded = true): Promise<Labelled[]> {
  const added = withAdded ? (await readdir(dir)).filter((f) => new RegExp(`^${half}-\\d+\\.jsonl$`).test(f)).sort() : [];
  const texts = await Promise.all([`${half}.jsonl`, ...added].map((f) => readFile(path.join(dir, f), 'utf8')));
  return texts.flatMap((text) => text.split('\n')).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Labelled);
}
