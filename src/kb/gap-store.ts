/**
 * Where unanswered questions are kept for editors. In the database (table kb_gaps, migration 0002): every
 * server process writes to the same place, gaps survive restarts and deploys, and `parley kb gaps` reads them
 * wherever it runs. A row holds the masked question, the confidence, the nearest article and the locale: no
 * conversation, customer or message id, so a gap cannot be traced back to who asked.
 * Without a database (the CLI's `kb ask`, tests) gaps stay in memory.
 */
import type { Db, Queryable } from '../store/types.ts';
import type { KbGap } from './types.ts';

export interface GapStore {
  record(gap: KbGap): Promise<void>;
  /** Gaps newest first, at most `limit`, optionally only since a date. */
  list(options: { limit: number; since?: Date }): Promise<KbGap[]>;
}

export class MemoryGapStore implements GapStore {
  private readonly gaps: KbGap[] = [];

  constructor(private readonly max = 10_000) {}

  async record(gap: KbGap): Promise<void> {
    this.gaps.push(gap);
    if (this.gaps.length > this.max) this.gaps.splice(0, this.gaps.length - this.max);
  }

  async list(options: { limit: number; since?: Date }): Promise<KbGap[]> {
    const since = options.since?.getTime() ?? -Infinity;
    return this.gaps.filter((gap) => gap.at.getTime() >= since).reverse().slice(0, options.limit);
  }
}

interface GapRow {
  question: string;
  confidence: number;
  nearest_article_id: string | null;
  locale: string | null;
  created_at: Date | string;
}

/** The knowledge base's repository: the unanswered questions (kb_gaps). Built by `store.repository(gapRepository)`. */
export class SqlGapStore implements GapStore {
  constructor(private readonly db: Queryable) {}

  async record(gap: KbGap): Promise<void> {
    await this.db.query('INSERT INTO kb_gaps (question, confidence, nearest_article_id, locale, created_at) VALUES ($1, $2, $3, $4, $5)', [
      gap.question,
      gap.confidence,
      gap.nearestArticleId,
      gap.locale,
      gap.at,
    ]);
  }

  async list(options: { limit: number; since?: Date }): Promise<KbGap[]> {
    const result = await this.db.query<GapRow>(
      `SELECT question, confidence, nearest_article_id, locale, created_at FROM kb_gaps
       WHERE created_at >= $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [options.since ?? new Date(0), options.limit],
    );
    return result.rows.map((row) => ({
      question: row.question,
      confidence: Number(row.confidence),
      nearestArticleId: row.nearest_article_id,
      locale: row.locale,
      at: new Date(row.created_at),
    }));
  }
}

/** For `store.repository`. */
export const gapRepository = (db: Db): SqlGapStore => new SqlGapStore(db);
