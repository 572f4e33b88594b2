/**
 * The files as an editor sees them: the current release with the drafts laid over it. Saving is a draft against
 * the version the editor started from (`baseVersion`); a save from an older version is refused with the text saved
 * meanwhile, never applied over it. Each save answers with that file's problems in the context of the whole draft
 * set (a goto into another draft, a keyword of a drafted article).
 */
import { createHash } from 'node:crypto';
import { ParleyError } from '../core/errors.ts';
import type { Db } from '../store/types.ts';
import { checkFileSet, type StudioProblem } from './check-file-set.ts';
import type { FileSet } from './file-set.ts';
import { applyDrafts, type ReleaseService } from './release-service.ts';
import type { Draft, Release } from './release-store.ts';
import { checkStudioPath, kindOf, type FileKind } from './studio-paths.ts';

export interface StudioFileEntry {
  path: string;
  kind: FileKind;
  version: number;
  /** An unpublished change (or removal) of this file exists. */
  draft: boolean;
  /** The draft removes the file. */
  removed?: true;
  problems: number;
  /** How many of those problems are errors (the rest are warnings, which do not stop a publish). */
  errors: number;
}

export interface StudioFile {
  path: string;
  /** Null when the draft removes the file. */
  content: string | null;
  version: number;
  draft: boolean;
}

/** A file as opened: with its problems among all the drafts, as a save answers them. */
export type OpenedStudioFile = StudioFile & { problems: FileProblem[] };

/** What an editor's problem looks like on the wire: its place in this file, how bad, what. */
export type FileProblem = Omit<StudioProblem, 'path'>;

export class StudioFiles {
  private checked: { key: string; problems: Promise<StudioProblem[]> } | undefined;

  constructor(private readonly db: Db, private readonly releases: ReleaseService) {}

  /** The current release, the drafts, and the files they make together. */
  async draftSet(): Promise<{ release: Release | undefined; drafts: Draft[]; files: FileSet }> {
    const [release, drafts] = await Promise.all([this.releases.current(), this.releases.store.drafts()]);
    return { release, drafts, files: applyDrafts(release?.files ?? {}, drafts) };
  }

  async list(): Promise<StudioFileEntry[]> {
    const [{ release, drafts, files }, versions] = await Promise.all([this.draftSet(), this.releases.store.versions()]);
    const problems = await this.problems(files);
    const byDraft = new Map(drafts.map((d) => [d.path, d]));
    const paths = [...new Set([...Object.keys(release?.files ?? {}), ...byDraft.keys()])].sort();
    return paths.flatMap((path) => {
      const kind = kindOf(path);
      if (!kind) return [];
      const draft = byDraft.get(path);
      const own = problems.filter((p) => p.path === path);
      return [{
        path, kind, version: versions.get(path) ?? 0, draft: draft !== undefined,
        ...(draft && draft.content === null ? { removed: true as const } : {}),
        problems: own.length, errors: own.filter((p) => p.severity === 'error').length,
      }];
    });
  }

  async get(rawPath: string): Promise<StudioFile> {
    return (await this.read(rawPath)).file;
  }

  /** The file's version, 0 for a path that never held a file. */
  versionOf(rawPath: string): Promise<number> {
    return this.releases.store.version(checkStudioPath(rawPath));
  }

  /** The file with its problems in the context of the whole draft set. */
  async open(rawPath: string): Promise<OpenedStudioFile> {
    const { file, files } = await this.read(rawPath);
    const problems = file.content === null ? [] : (await this.problems(files)).filter((p) => p.path === file.path);
    return { ...file, problems: problems.map(({ path: _, ...problem }) => problem) };
  }

  private async read(rawPath: string): Promise<{ file: StudioFile; files: FileSet }> {
    const path = checkStudioPath(rawPath);
    const [{ release, drafts, files }, version] = await Promise.all([this.draftSet(), this.releases.store.version(path)]);
    const draft = drafts.find((d) => d.path === path);
    const content = draft ? draft.content : release?.files[path];
    if (content === undefined) throw new ParleyError('NOT_FOUND', `no file ${path}`);
    return { file: { path, content, version, draft: draft !== undefined }, files };
  }

  /** Saves a draft of the file (`content: null` drafts its removal); CONFLICT with the current text when `baseVersion` is stale. */
  async save(rawPath: string, content: string | null, baseVersion: number, by: string): Promise<{ version: number; problems: FileProblem[] }> {
    const path = checkStudioPath(rawPath);
    const release = await this.releases.current();
    const published = release?.files[path];
    const existing = (await this.releases.store.drafts()).find((d) => d.path === path);
    if (content === null && published === undefined && !existing) throw new ParleyError('NOT_FOUND', `no file ${path}`);
    const version = await this.db.transaction(async (tx) => {
      const next = await this.releases.store.advance(tx, path, baseVersion);
      if (next === undefined) return undefined;
      // Back to what is published (or removing a file that never was): no draft left.
      if (content === published || (content === null && published === undefined)) await this.releases.store.dropDraft(tx, path);
      else await this.releases.store.saveDraft(tx, { path, content, version: next, by });
      return next;
    });
    if (version === undefined) throw await this.conflict(path, content);
    const problems = content === null ? [] : (await this.problems((await this.draftSet()).files)).filter((p) => p.path === path);
    return { version, problems: problems.map(({ path: _, ...problem }) => problem) };
  }

  /** The problems of a whole set; the last set's are kept, since the list and each save ask for the same one. */
  problems(files: FileSet): Promise<StudioProblem[]> {
    const key = createHash('sha256').update(JSON.stringify(Object.entries(files).sort())).digest('hex');
    if (this.checked?.key !== key) this.checked = { key, problems: checkFileSet(files) };
    return this.checked.problems;
  }

  private async conflict(path: string, yours: string | null): Promise<ParleyError> {
    const current = await this.get(path).catch(async () => ({ path, content: null, version: await this.releases.store.version(path), draft: false }));
    const draft = (await this.releases.store.drafts()).find((d) => d.path === path);
    return new ParleyError('CONFLICT', `${path} was changed since your version; see its current text`, {
      details: { path, version: current.version, content: current.content, draft: current.draft, ...(draft ? { updatedBy: draft.updatedBy } : {}), yours },
    });
  }
}
