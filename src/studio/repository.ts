/**
 * The studio's repository: the releases and the editors' drafts (release-store.ts, release-service.ts,
 * studio-files.ts run their statements over it), and which flow versions conversations are in the middle of. The
 * studio reaches the database only through it; built by `store.repository(studioRepository)`.
 */
import type { Db } from '../store/types.ts';
import { ReleaseService, type ReleaseServiceOptions } from './release-service.ts';
import { StudioFiles } from './studio-files.ts';

export class StudioRepository {
  constructor(private readonly db: Db) {}

  releases(options: ReleaseServiceOptions = {}): ReleaseService {
    return new ReleaseService(this.db, options);
  }

  files(releases: ReleaseService): StudioFiles {
    return new StudioFiles(this.db, releases);
  }

  /** The flow versions conversations are in the middle of a flow of (reads the store's conversations). */
  async flowVersionsInFlight(): Promise<string[]> {
    const result = await this.db.query<{ version: string }>(
      "SELECT DISTINCT state->>'flowVersion' AS version FROM conversations WHERE state ? 'flow' AND state ? 'flowVersion'",
    );
    return result.rows.map((row) => row.version);
  }
}

/** For `store.repository`. */
export const studioRepository = (db: Db): StudioRepository => new StudioRepository(db);
