import type { Queryable } from '../store/types.ts';

/** Whether each console agent marked themselves available for automatic assignment (absent: not available). */
export class AvailabilityStore {
  constructor(private readonly db: Queryable) {}

  async set(agentId: string, available: boolean): Promise<void> {
    await this.db.query(
      `INSERT INTO agent_availability (agent_id, available) VALUES ($1, $2)
       ON CONFLICT (agent_id) DO UPDATE SET available = EXCLUDED.available, changed_at = now()`,
      [agentId, available],
    );
  }

  /** The ids of the available agents among these. */
  async available(agentIds: readonly string[]): Promise<Set<string>> {
    const result = await this.db.query<{ agent_id: string }>(
      'SELECT agent_id FROM agent_availability WHERE available AND agent_id = ANY($1::text[])', [[...agentIds]]);
    return new Set(result.rows.map((row) => row.agent_id));
  }
}
