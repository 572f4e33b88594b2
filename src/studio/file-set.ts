/**
 * A file set: the whole content of flows and knowledge, as `{ path: content }` with studio paths (studio-paths.ts).
 * A release holds one; a process serves one written out as files (`<dir>/flows`, `<dir>/knowledge`) so the flow
 * loader and the knowledge base read it as they read any folder.
 */
import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { kindOf } from './studio-paths.ts';

export type FileSet = Readonly<Record<string, string>>;

/** The flow, test, article and FAQ files under the two folders (a missing folder has none). */
export async function readFileSet(dirs: { flows: string; knowledge: string }): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const root of ['flows', 'knowledge'] as const) {
    const dir = dirs[root];
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) continue;
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath ?? (entry as { path?: string }).path ?? dir, entry.name);
      const relative = path.relative(dir, full).split(path.sep).join('/');
      const studioPath = `${root}/${relative}`;
      if (kindOf(studioPath)) files[studioPath] = await readFile(full, 'utf8');
    }
  }
  return sorted(files);
}

/** Writes the set under `dir` (as `dir/flows/…`, `dir/knowledge/…`), whole or not at all: into a scratch folder first. */
export async function writeFileSet(files: FileSet, dir: string): Promise<void> {
  await writeWhole(dir, (scratch) => writeFilesUnder(files, scratch));
}

/**
 * Writes a release under `dir` (as writeFileSet) from the folder of another one written out before (`from`, with its
 * files' hashes: the release served): a file whose hash is the one it has there is linked (copied when linking fails),
 * the others are written from `changed`, which holds every content `from` lacks. At 100,000 passages a release is
 * 36 MB and a publish changes a file or two; nothing of the unchanged files is read or held in memory. Nothing writes
 * into a written set's files, so the two folders may share them.
 */
export async function writeChangedSet(
  release: { hashes: Readonly<Record<string, string>>; changed: FileSet },
  dir: string,
  from: { hashes: Readonly<Record<string, string>>; dir: string },
): Promise<void> {
  await writeWhole(dir, async (scratch) => {
    await mkdir(path.join(scratch, 'flows'), { recursive: true });
    await mkdir(path.join(scratch, 'knowledge'), { recursive: true });
    for (const [name, hash] of Object.entries(release.hashes)) {
      const full = path.join(scratch, ...name.split('/'));
      await mkdir(path.dirname(full), { recursive: true });
      const content = release.changed[name];
      if (content !== undefined) await writeFile(full, content);
      else if (from.hashes[name] !== hash) throw new Error(`${name}: neither changed nor in ${from.dir}`);
      else {
        const source = path.join(from.dir, ...name.split('/'));
        await link(source, full).catch(() => copyFile(source, full));
      }
    }
  });
}

/** Writes `dir` whole or not at all: into a scratch folder first, renamed when complete. */
async function writeWhole(dir: string, write: (scratch: string) => Promise<void>): Promise<void> {
  if (await stat(dir).catch(() => undefined)) return;
  const scratch = `${dir}.partial-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  await write(scratch);
  try {
    await rename(scratch, dir);
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    // Another process wrote the same release first: theirs is the same content.
    if (!(await stat(dir).catch(() => undefined))) throw error;
  }
}

/** Writes each file under `dir` (`dir/flows/…`, `dir/knowledge/…`; both folders made even when empty), over what is there. */
export async function writeFilesUnder(files: FileSet, dir: string): Promise<void> {
  await mkdir(path.join(dir, 'flows'), { recursive: true });
  await mkdir(path.join(dir, 'knowledge'), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, ...name.split('/'));
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
  }
}

/** The SHA-256 of a file's content, hex: the same as migration 0020's `encode(sha256(convert_to(content, 'UTF8')), 'hex')`. */
export function contentHash(content: string): string {
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

/** Each file's contentHash. */
export function hashFiles(files: FileSet): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([name, content]) => [name, contentHash(content)]));
}

export function sameFiles(a: FileSet, b: FileSet): boolean {
  return changedPaths(a, b).length === 0;
}

/** Paths added, removed or changed between two sets, sorted. */
export function changedPaths(a: FileSet, b: FileSet): string[] {
  const paths = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...paths].filter((p) => a[p] !== b[p]).sort();
}

export function sorted(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The part of a set under one root. */
export function underRoot(files: FileSet, root: 'flows' | 'knowledge'): Record<string, string> {
  return Object.fromEntries(Object.entries(files).filter(([name]) => name.startsWith(`${root}/`)));
}
