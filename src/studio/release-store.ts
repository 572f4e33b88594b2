/**
 * The SQL of releases, drafts and file versions (migration 0012-studio-releases). Releases are only ever inserted.
 */
import type { Queryable } from '../store/types.ts';
import { sorted, type FileSet } from './file-set.ts';

/** Where a release's content came from: files on disk (the first release, `parley publish`, a change seen on disk), the studio's drafts, or an earlier release. */
export type ReleaseSource = 'files' | 'studio' | 'restore';

export interface Release {
  id: number;
  at: Date;
  by: string;
  message: string;
  source: ReleaseSource;
  files: FileSet;
  /** The content hash of its flows (FlowSet.version); null when they do not compile. */
  flowsVersion: string | null;
}

/** A release without its content: its paths, and those it changed from the release before it. */
export interface ReleaseSummary extends Omit<Release, 'files' | 'flowsVersion'> {
  paths: string[];
  changed: string[];
}

export interface Draft {
  path: string;
  /** Null: the file is to be removed. */
  content: string | null;
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

interface ReleaseRow {
  id: number;
  published_at: Date | string;
  published_by: string;
  message: string;
  source: ReleaseSource;
  files: Record<string, string> | string;
  flows_version: string | null;
}

const RELEASE_COLUMNS = 'id, published_at, published_by, message, source, files, flows_version';

export class ReleaseStore {
  constructor(private readonly db: Queryable) {}

  async current(db: Queryable = this.db): Promise<Release | undefined> {
    const result = await db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases ORDER BY id DESC LIMIT 1`);
    return result.rows[0] && toRelease(result.rows[0]);
  }

  async currentId(db: Queryable = this.db): Promise<number | undefined> {
    const result = await db.query<{ id: number }>('SELECT max(id) AS id FROM releases');
    return result.rows[0]?.id ?? undefined;
  }

  async get(id: number): Promise<Release | undefined> {
    const result = await this.db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases WHERE id = $1`, [id]);
    return result.rows[0] && toRelease(result.rows[0]);
  }

  /** Newest first. */
  async list(limit: number): Promise<Release[]> {
    const result = await this.db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases ORDER BY id DESC LIMIT $1`, [limit]);
    return result.rows.map(toRelease);
  }

  /** Newest first, without their content (computed in the database, so a long history costs no transfer). */
  async summaries(limit: number): Promise<ReleaseSummary[]> {
    const result = await this.db.query<Omit<ReleaseRow, 'files' | 'flows_version'> & { paths: string[]; changed: string[] }>(
      `SELECT r.id, r.published_at, r.published_by, r.message, r.source,
         ARRAY(SELECT k FROM jsonb_object_keys(r.files) AS k ORDER BY k COLLATE "C") AS paths,
         ARRAY(SELECT k FROM (SELECT jsonb_object_keys(r.files) AS k UNION SELECT jsonb_object_keys(COALESCE(p.files, '{}'::jsonb))) AS keys
               WHERE r.files -> k IS DISTINCT FROM p.files -> k ORDER BY k COLLATE "C") AS changed
       FROM releases r LEFT JOIN releases p ON p.id = (SELECT max(id) FROM releases WHERE id < r.id)
       ORDER BY r.id DESC LIMIT $1`,
      [limit],
    );
    return result.rows.map((row) => ({
      id: row.id, at: new Date(row.published_at), by: row.published_by, message: row.message, source: row.source, paths: row.paths, changed: row.changed,
    }));
  }

  /** The newest release made from files on disk. */
  async lastFromFiles(): Promise<Release | undefined> {
    const result = await this.db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases WHERE source = 'files' ORDER BY id DESC LIMIT 1`);
    return result.rows[0] && toRelease(result.rows[0]);
  }

  async insert(db: Queryable, release: Omit<Release, 'id' | 'at'>): Promise<Release> {
    const result = await db.query<ReleaseRow>(
      `INSERT INTO releases (published_by, message, source, files, flows_version) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING ${RELEASE_COLUMNS}`,
      [release.by, release.message, release.source, JSON.stringify(sorted({ ...release.files })), release.flowsVersion],
    );
    return toRelease(result.rows[0]!);
  }

  /** For each flows version, the newest release that has it. */
  async withFlowsVersions(versions: readonly string[]): Promise<Release[]> {
    if (versions.length === 0) return [];
    const result = await this.db.query<ReleaseRow>(
      `SELECT DISTINCT ON (flows_version) ${RELEASE_COLUMNS} FROM releases WHERE flows_version = ANY($1::text[]) ORDER BY flows_version, id DESC`,
      [versions],
    );
    return result.rows.map(toRelease);
  }

  async drafts(db: Queryable = this.db): Promise<Draft[]> {
    const result = await db.query<{ path: string; content: string | null; version: number; updated_by: string; updated_at: Date | string }>(
      'SELECT path, content, version, updated_by, updated_at FROM studio_drafts ORDER BY path',
    );
    return result.rows.map((row) => ({ path: row.path, content: row.content, version: row.version, updatedBy: row.updated_by, updatedAt: new Date(row.updated_at) }));
  }

  async draft(path: string): Promise<Draft | undefined> {
    return (await this.drafts()).find((d) => d.path === path);
  }

  /** Every path's version; a path never saved or published since versions began has none (0). */
  async versions(db: Queryable = this.db): Promise<Map<string, number>> {
    const result = await db.query<{ path: string; version: number }>('SELECT path, version FROM studio_file_versions');
    return new Map(result.rows.map((row) => [row.path, row.version]));
  }

  async version(path: string, db: Queryable = this.db): Promise<number> {
    const result = await db.query<{ version: number }>('SELECT version FROM studio_file_versions WHERE path = $1', [path]);
    return result.rows[0]?.version ?? 0;
  }

  /**
   * Moves a path's version from `base` to `base + 1` in one statement, so of two saves from the same base only one
   * wins. Returns the new version, or undefined when `base` is not the current one.
   */
  async advance(db: Queryable, path: string, base: number): Promise<number | undefined> {
    const result = base === 0
      ? await db.query<{ version: number }>('INSERT INTO studio_file_versions (path, version) VALUES ($1, 1) ON CONFLICT (path) DO NOTHING RETURNING version', [path])
      : await db.query<{ version: number }>('UPDATE studio_file_versions SET version = version + 1 WHERE path = $1 AND version = $2 RETURNING version', [path, base]);
    return result.rows[0]?.version;
  }

  /** A new version for each of these paths, whatever it was (a release changed them). */
  async bump(db: Queryable, paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      await db.query('INSERT INTO studio_file_versions (path, version) VALUES ($1, 1) ON CONFLICT (path) DO UPDATE SET version = studio_file_versions.version + 1', [path]);
    }
  }

  async saveDraft(db: Queryable, draft: { path: string; content: string | null; version: number; by: string }): Promise<void> {
    await db.query(
      `INSERT INTO studio_drafts (path, content, version, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (path) DO UPDATE SET content = excluded.content, version = excluded.version, updated_by = excluded.updated_by, updated_at = now()`,
      [draft.path, draft.content, draft.version, draft.by],
    );
  }

  async dropDraft(db: Queryable, path: string, version?: number): Promise<void> {
    if (version === undefined) await db.query('DELETE FROM studio_drafts WHERE path = $1', [path]);
    else await db.query('DELETE FROM studio_drafts WHERE path = $1 AND version = $2', [path, version]);
  }
}

function toRelease(row: ReleaseRow): Release {
  return {
    id: row.id,
    at: new Date(row.published_at),
    by: row.published_by,
    message: row.message,
    source: row.source,
    files: typeof row.files === 'string' ? JSON.parse(row.files) : row.files,
    flowsVersion: row.flows_version,
  };
}
