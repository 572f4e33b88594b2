/**
 * The SQL of releases, drafts and file versions (migrations 0012-studio-releases, 0020-release-contents). Releases are
 * only ever inserted. A release row names each file's content by its SHA-256 (`files`: path → hash) and each content
 * is stored once in release_contents: a release that changes one file of a large knowledge base stores that file
 * alone, and a process reads from the database only the contents it does not hold already.
 */
import type { Queryable } from '../store/types.ts';
import { hashFiles, sorted, type FileSet } from './file-set.ts';

/** Where a release's content came from: files on disk (the first release, `parley publish`, a change seen on disk), the studio's drafts, or an earlier release. */
export type ReleaseSource = 'files' | 'studio' | 'restore';

export interface Release {
  id: number;
  at: Date;
  by: string;
  message: string;
  source: ReleaseSource;
  files: FileSet;
  /** Each file's content hash (contentHash): two releases have the same content at a path when these are equal. */
  hashes: Readonly<Record<string, string>>;
  /** The content hash of its flows (FlowSet.version); null when they do not compile. */
  flowsVersion: string | null;
}

/**
 * A release as a process that holds another one's files sees it: every file's hash, and the contents of only those
 * files whose hash differs from the one it holds (the others it has already, on disk).
 */
export interface ReleaseChanges extends Omit<Release, 'files'> {
  /** The contents of the files added or changed against the hashes held (path → content). */
  changed: FileSet;
}

/** A release without its content: its paths, and those it changed from the release before it. */
export interface ReleaseSummary extends Omit<Release, 'files' | 'hashes' | 'flowsVersion'> {
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
  /** Path → the SHA-256 of its content (hex). */
  files: Record<string, string> | string;
  flows_version: string | null;
}

const RELEASE_COLUMNS = 'id, published_at, published_by, message, source, files, flows_version';

export class ReleaseStore {
  /**
   * Contents read or inserted, by hash: those of the current release (the others are let go each time it is read), so
   * reading the next release costs the contents it changed.
   */
  private readonly contents = new Map<string, string>();

  constructor(private readonly db: Queryable) {}

  async current(db: Queryable = this.db): Promise<Release | undefined> {
    const result = await db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases ORDER BY id DESC LIMIT 1`);
    const [release] = await this.withContents(result.rows, db);
    if (release) {
      const inUse = new Set(Object.values(hashesOf(result.rows[0]!)));
      for (const hash of this.contents.keys()) if (!inUse.has(hash)) this.contents.delete(hash);
    }
    return release;
  }

  /**
   * The current release, with the contents of only the files whose hash is not the one `held` names for their path
   * (a serving process holds the release it serves on disk, and needs no copy in memory). Reads from the database only
   * what it does not hold, and keeps none of it (see `forget`).
   */
  async currentChanges(held: Readonly<Record<string, string>>): Promise<ReleaseChanges | undefined> {
    const result = await this.db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases ORDER BY id DESC LIMIT 1`);
    const row = result.rows[0];
    if (!row) return undefined;
    const hashes = hashesOf(row);
    const wanted = Object.entries(hashes).filter(([path, hash]) => held[path] !== hash);
    const missing = [...new Set(wanted.map(([, hash]) => hash).filter((hash) => !this.contents.has(hash)))];
    const read = new Map<string, string>();
    if (missing.length > 0) {
      const contents = await this.db.query<{ hash: string; content: string }>('SELECT hash, content FROM release_contents WHERE hash = ANY($1::text[])', [missing]);
      for (const { hash, content } of contents.rows) read.set(hash, content);
    }
    const changed: Record<string, string> = {};
    for (const [path, hash] of wanted) {
      const content = this.contents.get(hash) ?? read.get(hash);
      if (content === undefined) throw new Error(`release ${row.id}: no stored content for ${path}`);
      changed[path] = content;
    }
    return { ...described(row), hashes, changed };
  }

  /**
   * Lets go of the contents read or inserted so far (a process about to build a large index does not hold a copy of
   * the release it has written out); the next `current` reads them again.
   */
  forget(): void {
    this.contents.clear();
  }

  async currentId(db: Queryable = this.db): Promise<number | undefined> {
    const result = await db.query<{ id: number }>('SELECT max(id) AS id FROM releases');
    return result.rows[0]?.id ?? undefined;
  }

  async get(id: number): Promise<Release | undefined> {
    const result = await this.db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases WHERE id = $1`, [id]);
    return (await this.withContents(result.rows))[0];
  }

  /** Newest first. */
  async list(limit: number): Promise<Release[]> {
    const result = await this.db.query<ReleaseRow>(`SELECT ${RELEASE_COLUMNS} FROM releases ORDER BY id DESC LIMIT $1`, [limit]);
    return this.withContents(result.rows);
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
    return (await this.withContents(result.rows))[0];
  }

  /** Stores the contents the database does not have yet, then the release naming them. */
  async insert(db: Queryable, release: Omit<Release, 'id' | 'at' | 'hashes'>): Promise<Release> {
    const files = sorted({ ...release.files });
    const hashes = hashFiles(files);
    const contents = new Map(Object.entries(files).map(([path, content]) => [hashes[path]!, content]));
    // The newest release's: reading the next one costs this process its changes alone (current() lets go of the rest).
    for (const [hash, content] of contents) this.contents.set(hash, content);
    const byHash = new Map(contents);
    const stored = await db.query<{ hash: string }>('SELECT hash FROM release_contents WHERE hash = ANY($1::text[])', [[...byHash.keys()]]);
    for (const { hash } of stored.rows) byHash.delete(hash);
    if (byHash.size > 0) {
      await db.query('INSERT INTO release_contents (hash, content) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (hash) DO NOTHING', [[...byHash.keys()], [...byHash.values()]]);
    }
    const result = await db.query<ReleaseRow>(
      `INSERT INTO releases (published_by, message, source, files, flows_version) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING ${RELEASE_COLUMNS}`,
      [release.by, release.message, release.source, JSON.stringify(hashes), release.flowsVersion],
    );
    return toRelease(result.rows[0]!, contents);
  }

  /** For each flows version, the newest release that has it. */
  async withFlowsVersions(versions: readonly string[]): Promise<Release[]> {
    if (versions.length === 0) return [];
    const result = await this.db.query<ReleaseRow>(
      `SELECT DISTINCT ON (flows_version) ${RELEASE_COLUMNS} FROM releases WHERE flows_version = ANY($1::text[]) ORDER BY flows_version, id DESC`,
      [versions],
    );
    return this.withContents(result.rows);
  }

  /** The releases of these rows with their files' contents: those not read before are read in one statement. */
  private async withContents(rows: readonly ReleaseRow[], db: Queryable = this.db): Promise<Release[]> {
    const known = new Map<string, string>();
    const missing = new Set<string>();
    for (const row of rows) {
      for (const hash of Object.values(hashesOf(row))) {
        const content = this.contents.get(hash);
        if (content === undefined) missing.add(hash);
        else known.set(hash, content);
      }
    }
    if (missing.size > 0) {
      const result = await db.query<{ hash: string; content: string }>('SELECT hash, content FROM release_contents WHERE hash = ANY($1::text[])', [[...missing]]);
      for (const { hash, content } of result.rows) {
        known.set(hash, content);
        this.contents.set(hash, content);
      }
    }
    return rows.map((row) => toRelease(row, known));
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

function hashesOf(row: ReleaseRow): Record<string, string> {
  return typeof row.files === 'string' ? (JSON.parse(row.files) as Record<string, string>) : row.files;
}

function toRelease(row: ReleaseRow, contents: ReadonlyMap<string, string>): Release {
  const files: Record<string, string> = {};
  const hashes = hashesOf(row);
  for (const [path, hash] of Object.entries(hashes)) {
    const content = contents.get(hash);
    if (content === undefined) throw new Error(`release ${row.id}: no stored content for ${path}`);
    files[path] = content;
  }
  return { ...described(row), files, hashes };
}

/** What a release row says of itself, but its files. */
function described(row: ReleaseRow): Omit<Release, 'files' | 'hashes'> {
  return { id: row.id, at: new Date(row.published_at), by: row.published_by, message: row.message, source: row.source, flowsVersion: row.flows_version };
}
