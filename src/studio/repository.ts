/**
 * The studio's repository: the releases and the editors' drafts (release-store.ts, release-service.ts,
 * studio-files.ts run their statements over it). The studio reaches the database only through it; which flow versions
 * conversations are in it asks the store (`Store.flowVersionsInFlight`). Built by `store.repository(studioRepository)`.
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
}

/** For `store.repository`. */
export const studioRepository = (db: Db): StudioRepository => new StudioRepository(db);
