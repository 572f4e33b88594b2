import { randomUUID } from 'node:crypto';
import { ParleyError } from '../core/errors.ts';
import type { Queryable } from '../store/types.ts';

/** A reply an agent inserts with "/shortcut": for one queue, or every queue (`queue` null). */
export interface CannedResponse {
  id: string;
  queue: string | null;
  shortcut: string;
  title: string;
  /** May hold {{customer.name}}, {{order.number}}, {{agent.name}}, … (see renderCanned). */
  text: string;
}

export type CannedInput = Omit<CannedResponse, 'id'>;

interface CannedRow { id: string; queue: string | null; shortcut: string; title: string; text: string }
const toCanned = (row: CannedRow): CannedResponse => ({ id: row.id, queue: row.queue, shortcut: row.shortcut, title: row.title, text: row.text });

const UNIQUE_VIOLATION = '23505';
const taken = (error: unknown) => (error as { code?: string }).code === UNIQUE_VIOLATION
  ? new ParleyError('CONFLICT', 'that shortcut is already used in this queue')
  : error;

/** Canned responses (migration 0014), managed by admins. */
export class CannedStore {
  constructor(private readonly db: Queryable) {}

  /** Those of these queues and those for every queue, by shortcut. */
  async forQueues(queues: readonly string[]): Promise<CannedResponse[]> {
    const result = await this.db.query<CannedRow>(
      'SELECT * FROM canned_responses WHERE queue IS NULL OR queue = ANY($1::text[]) ORDER BY shortcut, queue NULLS LAST', [[...queues]]);
    return result.rows.map(toCanned);
  }

  async get(id: string): Promise<CannedResponse | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const result = await this.db.query<CannedRow>('SELECT * FROM canned_responses WHERE id = $1', [id]);
    return result.rows[0] ? toCanned(result.rows[0]) : null;
  }

  async create(input: CannedInput, by: string): Promise<CannedResponse> {
    const result = await this.db.query<CannedRow>(
      'INSERT INTO canned_responses (id, queue, shortcut, title, text, updated_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
      [randomUUID(), input.queue, input.shortcut, input.title, input.text, by],
    ).catch((error: unknown) => { throw taken(error); });
    return toCanned(result.rows[0]!);
  }

  async update(id: string, input: CannedInput, by: string): Promise<CannedResponse> {
    const result = await this.db.query<CannedRow>(
      'UPDATE canned_responses SET queue = $2, shortcut = $3, title = $4, text = $5, updated_by = $6, updated_at = now() WHERE id = $1 RETURNING *',
      [id, input.queue, input.shortcut, input.title, input.text, by],
    ).catch((error: unknown) => { throw taken(error); });
    if (!result.rows[0]) throw new ParleyError('NOT_FOUND', 'no such canned response');
    return toCanned(result.rows[0]);
  }

  async remove(id: string): Promise<void> {
    const result = await this.db.query('DELETE FROM canned_responses WHERE id = $1', [id]);
    if (result.rowCount !== 1) throw new ParleyError('NOT_FOUND', 'no such canned response');
  }
}

/** What a canned response's variables are filled from. */
export interface CannedValues {
  customerName: string | null;
  language: string | null;
  agentName: string;
  queue: string;
  /** The flow's variables (internal `_…` ones already left out). */
  vars: Readonly<Record<string, unknown>>;
}

/**
 * Fills {{customer.name}}, {{customer.language}}, {{agent.name}}, {{queue}} and the flow's variables: {{product}}, or
 * dotted, {{order.number}} for `order_number` (or `order.number`, or `vars.order_number`). A variable with no value
 * is left empty and named in `missing`, so the agent fills it in before sending.
 */
export function renderCanned(text: string, values: CannedValues): { text: string; missing: string[] } {
  const missing: string[] = [];
  const own: Record<string, string | null> = {
    'customer.name': values.customerName, 'customer.language': values.language, 'agent.name': values.agentName, queue: values.queue,
  };
  const rendered = text.replace(/\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g, (_match, name: string) => {
    const bare = name.startsWith('vars.') ? name.slice(5) : name;
    const value = name in own ? own[name] : [bare, bare.replace(/\./g, '_')].map((key) => values.vars[key]).find((v) => v !== undefined && v !== null && v !== '');
    if (value === undefined || value === null || value === '') {
      missing.push(name);
      return '';
    }
    return String(value);
  });
  return { text: rendered, missing };
}
