/**
 * The analytics module's repository: the ratings (conversation_ratings), the report and the studio's step counts
 * (read from analytics_turns beside the conversations and handoffs), and the figures the metrics read at each scrape.
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

  /** Replies stored and not yet delivered. */
  async pendingReplies(): Promise<number> {
    const result = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE direction = 'out' AND status = 'pending'`);
    return Number(result.rows[0]?.n ?? 0);
  }

  /** How many handoffs wait for an agent, and how long the longest-waiting one has waited (0 when none waits). */
  async waitingHandoffs(): Promise<{ count: number; oldestSeconds: number }> {
    const result = await this.db.query<{ n: string; s: number | null }>(
      `SELECT count(*) AS n, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS s FROM handoffs WHERE status = 'waiting'`);
    return { count: Number(result.rows[0]?.n ?? 0), oldestSeconds: Number(result.rows[0]?.s ?? 0) };
  }
}

/** For `store.repository`. */
export const analyticsRepository = (db: Db): AnalyticsRepository => new AnalyticsRepository(db);
