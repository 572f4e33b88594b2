/**
 * The analytics module's repository: the ratings (conversation_ratings), the report and the studio's step counts
 * (read from analytics_turns beside the conversations and handoffs). The metrics' figures at each scrape come from the
 * modules that own them (`Store.pendingReplyCount`, the handoff repository's `waitingCount`).
 * The module reaches the database only through it; built by `store.repository(analyticsRepository)`.
 */
import type { Db } from '../store/types.ts';
import { RatingStore } from './ratings.ts';
import { buildReport, type Report, type ReportOptions } from './report.ts';
import { flowStepStats, type FlowStepStats, type StepStatsOptions } from './step-stats.ts';

export class AnalyticsRepository {
  readonly ratings: RatingStore;

  constructor(private readonly db: Db) {
    this.ratings = new RatingStore(db);
  }

  report(options: ReportOptions): Promise<Report> {
    return buildReport(this.db, options);
  }

  stepStats(flow: string, options: StepStatsOptions): Promise<FlowStepStats> {
    return flowStepStats(this.db, flow, options);
  }
}

/** For `store.repository`. */
export const analyticsRepository = (db: Db): AnalyticsRepository => new AnalyticsRepository(db);
