/**
 * The knowledge directory loaded with what the last load kept under DATA_DIR (`<DATA_DIR>/kb/index/knowledge-*.idx`):
 * per file its size, times and inode, a hash of its content and its articles (article-columns.ts). A file whose
 * stat is what was kept is neither read nor parsed; any other is read, hashed and parsed. At 100,000 FAQ entries
 * this makes a start with nothing changed a few hundred milliseconds instead of seconds.
 *
 * Why trusting the stat is safe: any write to a file sets its change time (ctime) to the time of the write, which
 * no tool can set back (touch and rsync set the modification time, not ctime), and a replaced file has another
 * inode. A stat is only trusted when the file had not changed for QUIET_MS before its content was read and hashed,
 * so a write in the same clock tick as that read (the "racy" case git knows) is hashed again at the next start.
 * The stat is taken before the read: a write between them changes the stat, never the other way round.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { decode, writeFlatFile } from '../search/matcher/flat-file.ts';
import { pruneKept } from '../search/matcher/matcher-cache.ts';
import { fromColumns, toColumns, type ArticleColumns } from './article-columns.ts';
import { admission, knowledgeFiles, parseKnowledgeFile, relativeName } from './load.ts';
import type { Article, KbIssue, LoadedKnowledge } from './types.ts';

/** Bump whenever parsing gives other articles for the same file (the kept articles, and the index keyed on them, are then stale). */
const FORMAT = 1;
/** How long a file must have been unchanged before it was read for its stat to be trusted later (see above). */
const QUIET_MS = 2_000;
/** Kept knowledge files in the directory (several knowledge folders, or releases, may share one data directory). */
const KEEP = 4;

interface KeptFile {
  /** Its path in the knowledge directory, `/`-separated. */
  name: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** When its content was read (ms since the epoch). */
  readAt: number;
  hash: string;
  issues: Array<{ line: number; message: string }>;
  /** Its articles in the columns: from .. to - 1; null when they are not kept (parsed at every load). */
  articles: [number, number] | null;
}

/** Which articles admission left out (numbered across the files, in order), and every problem in the order reported. */
interface Admitted {
  left: number[];
  issues: Array<{ name: string; line: number; message: string }>;
}

interface Kept {
  format: number;
  files: KeptFile[];
  columns: ArticleColumns | null;
  admitted?: Admitted;
  /** The knowledge the kept index was built from, when no index of these files is kept (see KeptBase). */
  base?: KeptBase;
}

/**
 * The knowledge a kept index was built from, kept while the files differ from it and no index of them is kept: a
 * start then loads that index and indexes the changed files' articles in a layer over it (MatcherRanking.update)
 * instead of building everything anew. Per file its hash and, for a file whose content now differs (or is gone), its
 * articles as they were; a file with the same hash now has the same articles (null here).
 */
interface KeptBase {
  key: string;
  files: Array<{ name: string; hash: string; articles: [number, number] | null }>;
  columns: ArticleColumns | null;
  /** Which of its articles admission left out (numbered across its files). */
  left: number[];
}

/** The knowledge a kept index was built from, and the articles (ids) of the files that differ from it now. */
export interface IndexedKnowledge {
  key: string;
  /** Its articles, as admitted then (made when asked for). */
  articles: () => Article[];
  changed: ReadonlySet<string>;
}

export interface KeptKnowledge {
  loaded: LoadedKnowledge;
  /** Per file (its path in the directory), a hash of its content. */
  prints: Map<string, string>;
  /** A hash of everything the articles were made from: the same key, the same articles. */
  key: string;
  /** How many files were read and hashed, and how many of those parsed (the others' articles came from what was kept). */
  read: number;
  parsed: number;
  /**
   * When `indexKept` says no index of these files is kept but one of an earlier state of them is: that state (a start
   * layers the changes over its index). Null otherwise.
   */
  base: IndexedKnowledge | null;
  /** Each file's stat, hash and articles as loaded: the next load in this process starts from it (`memory`). */
  memory: KeptMemory;
}

/** What a load in this process read, per file (see loadKeptKnowledge's `memory`). */
export type KeptMemory = ReadonlyMap<string, { file: KeptFile; articles: Article[] }>;

export interface KeptLoadOptions {
  /** How long a file must have been unchanged before it was read for its stat to be trusted (QUIET_MS; tests set 0). */
  quietMs?: number;
  /** Whether an index built from the knowledge of a key is kept (to find `base`; absent: no base). */
  indexKept?: (key: string) => boolean;
  /**
   * What the last load in this process read (KeptMemory), of this folder or of another with mostly the same files (the
   * previous release's): a file whose content it held is not parsed again.
   */
  memory?: KeptMemory;
  /**
   * The name the knowledge is kept under when its folder changes between runs (the served release's,
   * `DATA_DIR/releases/<id>/knowledge`); absent: the folder's path.
   */
  keptAs?: string;
  /**
   * Files (paths in the folder) known to have the content `memory` holds for them (a release switch knows which files
   * the release changed): they are neither read nor hashed.
   */
  unchanged?: ReadonlySet<string>;
}

/**
 * Loads `dir` as loadKnowledge does; `keepDir`: where the last load's files and articles are kept (none: all parsed).
 */
export async function loadKeptKnowledge(dir: string, defaultLocale: string, keepDir?: string, options: KeptLoadOptions = {}): Promise<KeptKnowledge> {
  const { quietMs = QUIET_MS, indexKept, memory } = options;
  const keptPath = keepDir ? path.join(keepDir, `knowledge-${sha1(`${FORMAT}\u0000${options.keptAs ?? path.resolve(dir)}\u0000${defaultLocale}`).slice(0, 24)}.idx`) : null;
  // A reload in a running process starts from its last load's articles, in memory: the kept file is neither read
  // (at 100,000 articles, 50 MB and as many articles made again beside the ones in use) nor written (the next start
  // reads and parses the files changed since it was, and layers them over the kept index: `base`).
  const kept = keptPath && !memory ? readKept(keptPath) : null;
  const before = new Map(kept?.files.map((f) => [f.name, f]));
  const files = await knowledgeFiles(dir);
  const now: Array<{ file: KeptFile; articles: Article[] }> = [];
  let parsed = 0;
  let read = 0;
  for (const file of files) {
    const name = relativeName(dir, file);
    const st = await stat(file);
    const held = memory?.get(name);
    if (held && sameStat(held.file, st, quietMs)) {
      now.push(held);
      continue;
    }
    if (held && options.unchanged?.has(name)) {
      // Not read: its stat is taken as of now, so it is trusted only once it has been quiet since (sameStat).
      now.push({ file: { ...held.file, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, readAt: Date.now() }, articles: inFile(held.articles, file) });
      continue;
    }
    const old = before.get(name);
    if (old && sameStat(old, st, quietMs) && old.articles && kept?.columns) {
      now.push({ file: old, articles: fromColumns(kept.columns, old.articles[0], old.articles[1], file) });
      continue;
    }
    const readAt = Date.now();
    const source = await readFile(file);
    read++;
    const hash = sha1(source);
    const entry = { name, size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, readAt, hash };
    if (held?.file.hash === hash) {
      now.push({ file: { ...held.file, ...entry }, articles: inFile(held.articles, file) });
      continue;
    }
    if (old?.hash === hash && old.articles && kept?.columns) {
      now.push({ file: { ...old, ...entry }, articles: fromColumns(kept.columns, old.articles[0], old.articles[1], file) });
      continue;
    }
    parsed++;
    const { articles, issues } = parseKnowledgeFile(file, name, source.toString('utf8'), defaultLocale);
    now.push({ file: { ...entry, issues: issues.map(({ line, message }) => ({ line, message })), articles: null }, articles });
  }

  const unchanged = kept !== null && parsed === 0 && now.length === kept.files.length && now.every(({ file }, i) => file === kept.files[i]);
  const { articles, issues, admitted } = unchanged && kept.admitted ? readmit(now, kept.admitted, dir) : admit(now, dir);
  const keyOf = (state: ReadonlyArray<{ name: string; hash: string }>) => sha1(JSON.stringify([FORMAT, defaultLocale, ...state.map((f) => [f.name, f.hash])]));
  const key = keyOf(now.map(({ file }) => file));
  const base = kept && indexKept && !indexKept(key) ? baseOf(kept, now, dir, keyOf, indexKept) : null;
  if (keptPath && !memory && !(unchanged && kept.admitted && (kept.base?.key ?? null) === (base?.key ?? null))) keep(keptPath, now, admitted, base);
  const prints = new Map(now.map(({ file }) => [file.name, file.hash]));
  return { loaded: { articles, issues, files: files.length }, prints, key, read, parsed, base: base && described(base, now), memory: new Map(now.map((n) => [n.file.name, n])) };
}

/** The articles as they are in `file`: the same objects when they are from it, else copies naming it (another release's folder). */
function inFile(articles: Article[], file: string): Article[] {
  if (articles.every((a) => a.file === file)) return articles;
  return articles.map((a) => ({ ...a, file, passages: a.passages.map((p) => ({ ...p, file })) }));
}

/**
 * Whether a file's stat is the one taken before it was last read, and it had been quiet for `quietMs` then (see the
 * top of this file).
 */
function sameStat(old: KeptFile, st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }, quietMs: number): boolean {
  const quiet = Math.max(old.mtimeMs, old.ctimeMs) < old.readAt - quietMs;
  return quiet && old.size === st.size && old.mtimeMs === st.mtimeMs && old.ctimeMs === st.ctimeMs && old.ino === st.ino;
}

/** A file's articles as a base had them (see KeptBase): per file, in order, before admission. */
interface BaseState {
  key: string;
  files: Array<{ name: string; hash: string; articles: Article[] }>;
  left: number[];
}

/**
 * The knowledge the kept index was built from, when one is kept: the last load's own files when their index is, else
 * the base kept beside them when its index still is. Null when neither is, or an article it had is not kept.
 */
function baseOf(
  kept: Kept,
  now: ReadonlyArray<{ file: KeptFile; articles: Article[] }>,
  dir: string,
  keyOf: (state: ReadonlyArray<{ name: string; hash: string }>) => string,
  indexKept: (key: string) => boolean,
): BaseState | null {
  const current = new Map(now.map((n) => [n.file.name, n]));
  const lastLoad = new Map(kept.files.map((f) => [f.name, f]));
  const same = (name: string, hash: string) => (current.get(name)?.file.hash === hash ? current.get(name)!.articles : null);
  const fromLastLoad = (name: string, hash: string) => {
    const f = lastLoad.get(name);
    return f?.hash === hash && f.articles && kept.columns ? fromColumns(kept.columns, f.articles[0], f.articles[1], path.join(dir, name)) : null;
  };
  const files: BaseState['files'] = [];
  const lastKey = keyOf(kept.files);
  if (kept.admitted && indexKept(lastKey)) {
    for (const f of kept.files) {
      const articles = same(f.name, f.hash) ?? fromLastLoad(f.name, f.hash);
      if (!articles) return null;
      files.push({ name: f.name, hash: f.hash, articles });
    }
    return { key: lastKey, files, left: kept.admitted.left };
  }
  const { base } = kept;
  if (!base || !indexKept(base.key)) return null;
  for (const f of base.files) {
    const own = f.articles && base.columns ? fromColumns(base.columns, f.articles[0], f.articles[1], path.join(dir, f.name)) : null;
    const articles = same(f.name, f.hash) ?? own ?? fromLastLoad(f.name, f.hash);
    if (!articles) return null;
    files.push({ name: f.name, hash: f.hash, articles });
  }
  return { key: base.key, files, left: base.left };
}

/** The base as the knowledge base uses it: its admitted articles, and the articles of files that differ now. */
function described(base: BaseState, now: ReadonlyArray<{ file: KeptFile; articles: Article[] }>): IndexedKnowledge {
  const current = new Map(now.map((n) => [n.file.name, n.file.hash]));
  const before = new Map(base.files.map((f) => [f.name, f.hash]));
  const changed = new Set<string>();
  for (const f of base.files) if (current.get(f.name) !== f.hash) for (const a of f.articles) changed.add(a.id);
  for (const n of now) if (before.get(n.file.name) !== n.file.hash) for (const a of n.articles) changed.add(a.id);
  return {
    key: base.key,
    changed,
    articles: () => {
      const left = new Set(base.left);
      const out: Article[] = [];
      let n = 0;
      for (const f of base.files) for (const article of f.articles) if (!left.has(n++)) out.push(article);
      return out;
    },
  };
}

/** Every file's problems, then its articles one by one, each left out (and a problem) when its ids are taken (load.ts). */
function admit(now: ReadonlyArray<{ file: KeptFile; articles: Article[] }>, dir: string): { articles: Article[]; issues: KbIssue[]; admitted: Admitted } {
  const articles: Article[] = [];
  const issues: KbIssue[] = [];
  const admitted: Admitted = { left: [], issues: [] };
  const check = admission();
  let n = 0;
  for (const { file, articles: own } of now) {
    const at = path.join(dir, file.name);
    issues.push(...file.issues.map((issue) => ({ file: at, ...issue })));
    for (const article of own) {
      const clash = check(article);
      if (clash) issues.push(clash), admitted.left.push(n);
      else articles.push(article);
      n++;
    }
  }
  admitted.issues = issues.map(({ file, line, message }) => ({ name: relativeName(dir, file), line, message }));
  return { articles, issues, admitted };
}

/** What `admit` gave for the same files, as it was kept (at 100,000 articles, admitting them again costs ~0.15 s). */
function readmit(now: ReadonlyArray<{ file: KeptFile; articles: Article[] }>, admitted: Admitted, dir: string): { articles: Article[]; issues: KbIssue[]; admitted: Admitted } {
  const left = new Set(admitted.left);
  const articles: Article[] = [];
  let n = 0;
  for (const { articles: own } of now) for (const article of own) if (!left.has(n++)) articles.push(article);
  return { articles, issues: admitted.issues.map(({ name, line, message }) => ({ file: path.join(dir, name), line, message })), admitted };
}

function keep(file: string, now: ReadonlyArray<{ file: KeptFile; articles: Article[] }>, admitted: Admitted, base: BaseState | null): void {
  const all: Article[] = [];
  const files = now.map(({ file, articles }) => {
    const from = all.length;
    all.push(...articles);
    return { ...file, articles: [from, all.length] as [number, number] };
  });
  const columns = toColumns(all);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    const kept: Kept = { format: FORMAT, files: columns ? files : files.map((f) => ({ ...f, articles: null })), columns, admitted, ...(base ? keptBase(base, now) : {}) };
    writeFlatFile(temporary, kept);
    renameSync(temporary, file);
    pruneKept(path.dirname(file), (name) => name.startsWith('knowledge-') && name.endsWith('.idx'), KEEP);
  } catch {
    // A read-only or full disk costs the next start its time, not this one its answers.
  }
}

/** The base as kept: the articles of the files whose content differs now (or that are gone); nothing when they cannot be kept. */
function keptBase(base: BaseState, now: ReadonlyArray<{ file: KeptFile }>): { base: KeptBase } | Record<string, never> {
  const current = new Map(now.map((n) => [n.file.name, n.file.hash]));
  const differing: Article[] = [];
  const files = base.files.map(({ name, hash, articles }) => {
    if (current.get(name) === hash) return { name, hash, articles: null };
    const from = differing.length;
    differing.push(...articles);
    return { name, hash, articles: [from, differing.length] as [number, number] };
  });
  const columns = differing.length > 0 ? toColumns(differing) : null;
  if (differing.length > 0 && !columns) return {};
  return { base: { key: base.key, files, columns, left: base.left } };
}

function readKept(file: string): Kept | null {
  try {
    const kept = decode(readFileSync(file)) as Kept;
    return kept.format === FORMAT ? kept : null;
  } catch {
    return null;
  }
}

/** SHA-1: it tells changed content apart (nothing here is a secret to guard), some ten times faster than SHA-256 here. */
function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('base64url');
}
