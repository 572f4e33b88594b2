/**
 * Releases: every published state of flows and knowledge, newest served. A release is made from the studio's
 * drafts (publish), from files (the first start, `parley publish`, a change seen on disk) or from an earlier
 * release (restore), and only when the resulting set passes the checks (`flows check`, `kb check`; warnings are
 * allowed) of what changed since the current release: its files were checked when it was published. Publishes are serialized across processes by an advisory lock and made against the release they were
 * checked on: one that finds a newer release or changed drafts when it commits is checked again.
 */
import { ParleyError } from '../core/errors.ts';
import { checkFlowSet } from '../engine/flow-set.ts';
import type { Db, Queryable } from '../store/types.ts';
import { checkChanges, hasErrors, type StudioProblem } from './check-file-set.ts';
import { changedPaths, sameFiles, type FileSet } from './file-set.ts';
import { ReleaseStore, type Draft, type Release, type ReleaseSource, type ReleaseSummary } from './release-store.ts';
import { kindOf } from './studio-paths.ts';

/** "studio" in ASCII: serializes publishes (and the first release) across processes. */
const PUBLISH_LOCK_KEY = 0x73747564696f;
const ATTEMPTS = 3;

export interface PublishRequest {
  by: string;
  message: string;
}

export interface ReleaseServiceOptions {
  /** Told of every new release after it is committed (the serving processes switch to it). */
  announce?: (release: Release) => Promise<void>;
}

class Stale extends Error {}

export class ReleaseService {
  readonly store: ReleaseStore;

  constructor(private readonly db: Db, private readonly options: ReleaseServiceOptions = {}) {
    this.store = new ReleaseStore(db);
  }

  current(): Promise<Release | undefined> {
    return this.store.current();
  }

  get(id: number): Promise<Release | undefined> {
    return this.store.get(id);
  }

  list(limit = 100): Promise<Release[]> {
    return this.store.list(limit);
  }

  /** Newest first, without content. */
  summaries(limit = 100): Promise<ReleaseSummary[]> {
    return this.store.summaries(limit);
  }

  /** The current release; when there is none yet, these files become release 1 (as they are: they were being served). */
  async seed(files: FileSet): Promise<Release> {
    const existing = await this.store.current();
    if (existing) return existing;
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK_KEY]);
      return (await this.store.current(tx)) ?? this.store.insert(tx, { by: 'files', message: 'first release, from files', source: 'files', files, flowsVersion: flowsVersion(files) });
    });
  }

  /**
   * Publishes these files as a release, unless they are what is served already (`published: false`). With `check`
   * (the default) a set with an error is refused (CONTENT_INVALID listing the problems); without, the caller checked.
   */
  async publishFiles(files: FileSet, request: PublishRequest & { check?: boolean }): Promise<{ release: Release; published: boolean }> {
    const result = await this.attempt(async (current) => {
      if (current && sameFiles(current.files, files)) return { unchanged: current };
      if (request.check !== false) await refuseErrors(files, current);
      return { files, source: 'files' as const, ...request };
    });
    return result;
  }

  /** Publishes every draft at once on top of the current release. */
  async publishDrafts(request: PublishRequest): Promise<Release> {
    const { release } = await this.attempt(async (current, drafts) => {
      if (drafts.length === 0) throw new ParleyError('CONFLICT', 'nothing to publish: there are no drafts');
      const files = applyDrafts(current?.files ?? {}, drafts);
      await refuseErrors(files, current);
      return { files, source: 'studio' as const, drafts, ...request };
    });
    return release;
  }

  /** Publishes an earlier release's content as a new release (checked like any other). */
  async restore(id: number, by: string): Promise<Release> {
    const old = await this.store.get(id);
    if (!old) throw new ParleyError('NOT_FOUND', `no release ${id}`);
    const { release } = await this.attempt(async (current) => {
      await refuseErrors(old.files, current);
      return { files: old.files, source: 'restore' as const, by, message: `restored release ${id}` };
    });
    return release;
  }

  /** Builds the next release from the current one and the drafts, then commits it if neither changed meanwhile. */
  private async attempt(
    next: (current: Release | undefined, drafts: Draft[]) => Promise<{ unchanged: Release } | { files: FileSet; source: ReleaseSource; by: string; message: string; drafts?: Draft[] }>,
  ): Promise<{ release: Release; published: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const [current, drafts] = await Promise.all([this.store.current(), this.store.drafts()]);
      const planned = await next(current, drafts);
      if ('unchanged' in planned) return { release: planned.unchanged, published: false };
      try {
        const release = await this.db.transaction(async (tx) => {
          await tx.query('SELECT pg_advisory_xact_lock($1)', [PUBLISH_LOCK_KEY]);
          if ((await this.store.currentId(tx)) !== current?.id) throw new Stale();
          if (planned.drafts && !sameDrafts(planned.drafts, await this.store.drafts(tx))) throw new Stale();
          return this.commit(tx, current, planned);
        });
        await this.options.announce?.(release);
        return { release, published: true };
      } catch (error) {
        if (!(error instanceof Stale)) throw error;
        if (attempt >= ATTEMPTS) throw new ParleyError('CONFLICT', 'other releases were being published at the same time; try again');
      }
    }
  }

  private async commit(tx: Queryable, current: Release | undefined, planned: { files: FileSet; source: ReleaseSource; by: string; message: string; drafts?: Draft[] }): Promise<Release> {
    const release = await this.store.insert(tx, {
      by: planned.by, message: planned.message.trim() || '(no message)', source: planned.source, files: planned.files, flowsVersion: flowsVersion(planned.files),
    });
    const published = new Set((planned.drafts ?? []).map((d) => d.path));
    const drafted = new Set((await this.store.drafts(tx)).map((d) => d.path));
    // A changed file that an editor has no draft of gets a new version, so a save based on the old one is stale.
    await this.store.bump(tx, changedPaths(current?.files ?? {}, planned.files).filter((p) => !published.has(p) && !drafted.has(p)));
    for (const draft of planned.drafts ?? []) await this.store.dropDraft(tx, draft.path, draft.version);
    return release;
  }
}

/** The release's files with the drafts laid over them (a draft without content removes its file). */
export function applyDrafts(files: FileSet, drafts: readonly Draft[]): Record<string, string> {
  const result: Record<string, string> = { ...files };
  for (const draft of drafts) {
    if (draft.content === null) delete result[draft.path];
    else result[draft.path] = draft.content;
  }
  return result;
}

/** The version the flow loader gives these files' flows (it does not depend on where the files are); null when they do not compile. */
export function flowsVersion(files: FileSet): string | null {
  const sources = Object.entries(files).filter(([name]) => kindOf(name) === 'flow').map(([file, source]) => ({ file, source }));
  const { issues, set } = checkFlowSet(sources);
  return issues.length > 0 ? null : set.version;
}

/** Refuses `files` when they have an error; only the files changed since `current` are checked (checkChanges). */
async function refuseErrors(files: FileSet, current: Release | undefined): Promise<StudioProblem[]> {
  const problems = await checkChanges(files, current?.files);
  if (hasErrors(problems)) {
    const errors = problems.filter((p) => p.severity === 'error');
    throw new ParleyError('CONTENT_INVALID', `not published: ${errors.length} error${errors.length === 1 ? '' : 's'} (see details)`, { details: { problems } });
  }
  return problems;
}

function sameDrafts(a: readonly Draft[], b: readonly Draft[]): boolean {
  const key = (drafts: readonly Draft[]) => drafts.map((d) => `${d.path}@${d.version}`).sort().join('\n');
  return key(a) === key(b);
}
