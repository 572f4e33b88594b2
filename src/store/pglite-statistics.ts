import type { Queryable } from './types.ts';

/** How often the embedded database looks for tables whose statistics are out of date. */
export const STATISTICS_CHECK_MS = 10_000;

/**
 * The tables changed by more than 50 rows and a tenth of their size since they were last analysed: autovacuum's
 * default threshold for ANALYZE (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor).
 */
const STALE = `
  SELECT quote_ident(schemaname) || '.' || quote_ident(relname) AS name FROM pg_stat_user_tables
  WHERE n_mod_since_analyze > 50 + 0.1 * GREATEST(n_live_tup, 0)`;

/**
 * PGlite runs no autovacuum, so nothing ever gathers statistics: the planner sizes a table by its files, and a
 * prepared statement keeps the generic plan it chose on its sixth run for as long as the process lives (only an
 * ANALYZE invalidates it). The sent marks' `UPDATE … WHERE id = ANY($1)`, planned while `messages` was small, read the
 * whole table on every batch, slower with each message stored. This analyses the tables that changed, as autovacuum
 * would on PostgreSQL, which also re-plans the statements that read them. ANALYZE reads a bounded sample (at most
 * 30,000 rows per table), but on PGlite's one thread every other query waits for it.
 */
export function keepStatisticsFresh(db: Queryable, options: { everyMs?: number; onError?: (error: unknown) => void } = {}): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const check = async () => {
    const stale = (await db.query<{ name: string }>(STALE)).rows.map((row) => row.name);
    if (stale.length > 0) await db.query(`ANALYZE ${stale.join(', ')}`);
  };
  const timer = setInterval(() => {
    if (running) return;
    running = check()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => (running = undefined));
  }, options.everyMs ?? STATISTICS_CHECK_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
