import pg from 'pg';
import { ParleyError } from '../core/errors.ts';
import { statementName } from './statement-name.ts';
import type { Db, Queryable, QueryOptions, QueryResult } from './types.ts';

export interface PostgresDbOptions {
  /** Most connections the pool opens. Default 10. */
  max?: number;
  /** How long to wait for a connection before failing, in ms. Default 5000: fail fast, answer 503. */
  connectionTimeoutMillis?: number;
}

/** Node socket errors and SQLSTATE classes 08 (connection) and 57P0x (server shutting down). */
const CONNECTION_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code))) {
    return true;
  }
  // pg reports a lost or timed-out connection without a code.
  return /Connection terminated|timeout exceeded when trying to connect|encountered a connection error and is not queryable/i.test(error.message);
}

/** The URL without its password, fit for an error message or a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/**
 * One line saying why. Node reports a refused `localhost` (tried on ::1 and 127.0.0.1) as an AggregateError
 * with an empty message, so fall back to its parts and its code.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = error.message;
  if (!text && error instanceof AggregateError) text = error.errors.map(describeError).filter(Boolean).join('; ');
  const code = (error as { code?: unknown }).code;
  if (!text && typeof code === 'string') text = code;
  return (text || error.name).replace(/\s*\n\s*/g, ' ');
}

function unavailable(url: string, error: unknown): ParleyError {
  const reason = describeError(error);
  return new ParleyError('DATABASE_UNAVAILABLE', `PostgreSQL at ${redactUrl(url)} is unreachable: ${reason}`, { cause: error });
}

/** Runs a query, turning a lost connection into DATABASE_UNAVAILABLE; SQL errors pass through unchanged. */
async function run<R>(client: pg.Pool | pg.PoolClient, url: string, sql: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<R>> {
  try {
    const raw: pg.QueryResult | pg.QueryResult[] = options?.prepared && params
      ? await client.query({ name: statementName(sql), text: sql, values: params })
      : await client.query(sql, params);
    // Several statements without parameters (a migration) give one result each: keep the last, as PGlite does.
    const result = Array.isArray(raw) ? raw.at(-1) : raw;
    const rows = (result?.rows ?? []) as R[];
    return { rows, rowCount: result?.rowCount ?? rows.length };
  } catch (error) {
    throw isConnectionError(error) ? unavailable(url, error) : error;
  }
}

/**
 * A Db over a `pg` Pool. bigint columns come back as strings and timestamptz as Date (pg's defaults, relied on
 * by the store). Each transaction holds one pooled client from BEGIN to COMMIT or ROLLBACK.
 */
export function openPostgresDb(url: string, options: PostgresDbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
  });
  // An idle client losing its connection must not crash the process; the next query gets a fresh one.
  pool.on('error', () => {});
  // pg-pool listens for a client's errors only while it is idle. A connection the server drops while the client is
  // checked out but between queries (pg_terminate_backend, a failover; even in the same packet as the end of its
  // handshake) would otherwise be an uncaught 'error' event that ends the process. The client is then unqueryable:
  // its next query fails as a connection error, and the pool discards it on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  let closed = false;

  return {
    kind: 'postgres',
    query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => run<R>(pool, url, sql, params, options),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw unavailable(url, error);
      }
      let broken = false;
      try {
        await run(client, url, 'BEGIN');
        const tx: Queryable = { query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => run<R>(client, url, sql, params, options) };
        const value = await fn(tx);
        await run(client, url, 'COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        // A client whose ROLLBACK failed is in an unknown state: destroy it rather than return it to the pool.
        client.release(broken);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
