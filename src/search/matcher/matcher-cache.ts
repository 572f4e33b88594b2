/**
 * The matcher's index kept on disk between runs: a base that did not change since the last start is loaded instead
 * of built (at 100,000 passages, about a second instead of half a minute). The file is named by a hash of
 * everything the index is built from (the documents, the settings, the index layout and V8's serialisation
 * format), so a change to any of them builds anew; the newest files are kept, older ones removed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { Matcher } from './matcher.ts';
import type { MatcherOptions } from './options.ts';
import type { MatchDoc } from './types.ts';

/** Bump whenever what the index holds changes shape (a field added to a class below Matcher). */
const LAYOUT = 2;
/** Index files kept in the directory (several knowledge bases, or releases, may share one data directory). */
const KEEP = 4;

export interface CacheOutcome {
  matcher: Matcher;
  /** Whether it came from the file rather than being built. */
  loaded: boolean;
}

export function buildCached(docs: readonly MatchDoc[], dir: string, options: Partial<MatcherOptions> = {}): CacheOutcome {
  // Synonym sources are code, not data: an index built with one is not kept.
  if (options.synonyms) return { matcher: Matcher.build(docs, options), loaded: false };
  const file = path.join(dir, `matcher-${key(docs, options)}.v8`);
  try {
    const matcher = Matcher.restore(v8.deserialize(readFileSync(file)));
    return { matcher, loaded: true };
  } catch {
    // No file (or an unreadable one): build, and keep it for the next start.
  }
  const matcher = Matcher.build(docs, options);
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, v8.serialize(matcher.snapshot()));
    renameSync(temporary, file);
    prune(dir);
  } catch {
    // A read-only or full disk costs the next start its time, not this one its answers.
  }
  return { matcher, loaded: false };
}

function key(docs: readonly MatchDoc[], options: Partial<MatcherOptions>): string {
  const hash = createHash('sha256').update(JSON.stringify([LAYOUT, process.versions.v8, options]));
  for (const doc of docs) hash.update(JSON.stringify(doc));
  return hash.digest('hex').slice(0, 32);
}

function prune(dir: string): void {
  const files = readdirSync(dir)
    .filter((name) => name.startsWith('matcher-') && name.endsWith('.v8'))
    .map((name) => ({ name, at: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { name } of files.slice(KEEP)) rmSync(path.join(dir, name), { force: true });
}
