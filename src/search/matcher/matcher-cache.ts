/**
 * The matcher's index kept on disk between runs: a base that did not change since the last start is loaded instead
 * of built (at 100,000 passages, well under a second instead of half a minute: flat-file.ts). The file is named by a
 * hash of everything the index is built from (the documents, the settings and the index layout), so a change to any
 * of them builds anew; the newest files are kept, older ones removed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { decode, writeFlatFile } from './flat-file.ts';
import { Matcher, type MatcherSnapshot } from './matcher.ts';
import type { MatcherOptions } from './options.ts';
import type { DocList, MatchDoc } from './types.ts';

/**
 * Bump whenever what the index holds changes shape (a field added to a class below Matcher), or the words it holds
 * for the same text change (6: German "euer" is a stop word, src/kb/text.ts).
 */
const LAYOUT = 6;
/** Index files kept in the directory (several knowledge bases, or releases, may share one data directory). */
const KEEP = 4;

export interface CacheOutcome {
  matcher: Matcher;
  /** Whether it came from the file rather than being built. */
  loaded: boolean;
}

/**
 * `docs`: the documents, or each language's as a list that makes each when asked for (so that neither loading an
 * unchanged index nor building one holds them all: at 100,000 passages, making them costs more than loading the
 * index, and holding them was ~30 MB of the build's peak, by their sizes). `sourceKey`: a hash of everything the documents are made
 * from, which the caller vouches for (the knowledge files' contents): the file is then named by it and the documents
 * are not hashed, nor made at all when the index is loaded.
 */
export function buildCached(source: readonly MatchDoc[] | ReadonlyMap<string, DocList>, dir: string, options: Partial<MatcherOptions> = {}, sourceKey?: string): CacheOutcome {
  const docs = source instanceof Map ? () => eachDoc(source) : () => source as readonly MatchDoc[];
  const build = () => (source instanceof Map ? Matcher.byLanguage(source, options) : Matcher.build(source as readonly MatchDoc[], options));
  // Synonym sources are code, not data: an index built with one is not kept.
  if (options.synonyms) return { matcher: build(), loaded: false };
  const file = sourceKey === undefined ? path.join(dir, `matcher-${key(docs(), options)}.idx`) : sourceFile(dir, sourceKey, options);
  const kept = load(file);
  if (kept) return { matcher: kept, loaded: true };
  // No file (or an unreadable one): build, and keep it for the next start.
  const matcher = build();
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFlatFile(temporary, matcher.snapshot());
    renameSync(temporary, file);
    prune(dir);
  } catch {
    // A read-only or full disk costs the next start its time, not this one its answers.
  }
  return { matcher, loaded: false };
}

/** The file of the index kept for documents made from what `sourceKey` names (see buildCached). */
function sourceFile(dir: string, sourceKey: string, options: Partial<MatcherOptions>): string {
  return path.join(dir, `matcher-${createHash('sha256').update(JSON.stringify([LAYOUT, options, 'source', sourceKey])).digest('hex').slice(0, 32)}.idx`);
}

function load(file: string): Matcher | null {
  try {
    return Matcher.restore(decode(readFileSync(file)) as MatcherSnapshot);
  } catch {
    return null;
  }
}

/** Whether an index of the documents made from what `sourceKey` names is kept in `dir` (buildCached with that key). */
export function keptBySource(dir: string, sourceKey: string, options: Partial<MatcherOptions> = {}): boolean {
  return existsSync(sourceFile(dir, sourceKey, options));
}

/** The index kept in `dir` for `sourceKey`, or null when there is none (or it cannot be read). */
export function loadBySource(dir: string, sourceKey: string, options: Partial<MatcherOptions> = {}): Matcher | null {
  return load(sourceFile(dir, sourceKey, options));
}

function* eachDoc(lists: ReadonlyMap<string, DocList>): Iterable<MatchDoc> {
  for (const list of lists.values()) for (let i = 0; i < list.length; i++) yield list.at(i)!;
}

function key(docs: Iterable<MatchDoc>, options: Partial<MatcherOptions>): string {
  const hash = createHash('sha256').update(JSON.stringify([LAYOUT, options]));
  // The documents' ids, locales, field kinds and texts, separated by characters no text has, hashed a megabyte at a
  // time (a JSON string and a hash update per document cost more than the hashing itself at 100,000 passages).
  let batch: string[] = [];
  let size = 0;
  for (const doc of docs) {
    batch.push(doc.id, doc.locale);
    size += doc.id.length + doc.locale.length;
    for (const field of doc.fields) batch.push(`\u0002${field.kind}`, field.text), (size += field.text.length);
    batch.push('\u0003');
    if (size > 1 << 20) hash.update(batch.join('\u0001')), (batch = []), (size = 0);
  }
  hash.update(batch.join('\u0001'));
  return hash.digest('hex').slice(0, 32);
}

function prune(dir: string): void {
  pruneKept(dir, (name) => name.startsWith('matcher-') && (name.endsWith('.idx') || name.endsWith('.v8')), KEEP);
}

/** Removes all but the `keep` newest files of `dir` whose names `ours` accepts. */
export function pruneKept(dir: string, ours: (name: string) => boolean, keep: number): void {
  const files = readdirSync(dir)
    .filter(ours)
    .map((name) => ({ name, at: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { name } of files.slice(keep)) rmSync(path.join(dir, name), { force: true });
}
