import pg from 'pg';
import { ParleyError } from '../core/errors.ts';
import { sqlLiteral } from './sql-literal.ts';
import { statementGroups } from './statement-group.ts';
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

/** A pooled connection, or DATABASE_UNAVAILABLE. */
async function connect(pool: pg.Pool, url: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw unavailable(url, error);
  }
}

/** Most statements sent together in one round trip, and most such groups under way at once. */
const MAX_GROUP = 64;
const GROUPS_IN_FLIGHT = 4;

interface Statement {
  sql: string;
  params: unknown[];
  /** The parameters as literals, for `EXECUTE name(…)`; undefined when one has none (the statement runs alone). */
  literals: string[] | undefined;
}

/** The name a statement is prepared under with SQL's PREPARE, apart from those `pg` prepares through the protocol. */
const groupName = (sql: string) => `${statementName(sql)}_g`;

/**
 * Runs prepared statements together on one pooled connection (statement-group.ts): those not yet prepared there are
 * prepared first (one round trip), then all run as one multi-statement query, one transaction (one round trip).
 */
async function runGroup(pool: pg.Pool, url: string, preparedOn: WeakMap<pg.PoolClient, Set<string>>, statements: Statement[]): Promise<QueryResult<unknown>[]> {
  const client = await connect(pool, url);
  let broken = false;
  try {
    let names = preparedOn.get(client);
    if (!names) preparedOn.set(client, (names = new Set()));
    const missing = [...new Set(statements.map((statement) => statement.sql))].filter((sql) => !names.has(groupName(sql)));
    if (missing.length > 0) {
      // Literals have one escape, a doubled quote, only under standard-conforming strings (PostgreSQL's default).
      const setup = (await client.query(
        [`SELECT current_setting('standard_conforming_strings') AS on`, ...missing.map((sql) => `PREPARE ${groupName(sql)} AS ${sql}`)].join(';\n'),
      )) as unknown as pg.QueryResult[] | pg.QueryResult;
      const standard = (Array.isArray(setup) ? setup[0] : setup)?.rows[0]?.on === 'on';
      if (!standard) throw new Error('standard_conforming_strings is off: statements are not run together');
      for (const sql of missing) names.add(groupName(sql));
    }
    const raw = (await client.query(statements.map((statement) => `EXECUTE ${groupName(statement.sql)}(${statement.literals!.join(', ')})`).join(';\n'))) as unknown as pg.QueryResult[];
    return raw.map((result) => ({ rows: result.rows, rowCount: result.rowCount ?? result.rows.length }));
  } catch (error) {
    broken = isConnectionError(error);
    throw broken ? unavailable(url, error) : error;
  } finally {
    client.release(broken);
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
  const preparedOn = new WeakMap<pg.PoolClient, Set<string>>();
  // The turns' prepared statements issued while the pool is busy go together (statement-group.ts).
  const grouped = statementGroups<Statement, QueryResult<unknown>>({
    runAlone: (statement) => run(pool, url, statement.sql, statement.params, { prepared: true }),
    runGroup: (statements) => {
      if (statements.some((statement) => statement.literals === undefined)) throw new Error('a parameter has no literal: each runs alone');
      return runGroup(pool, url, preparedOn, statements);
    },
    maxSize: MAX_GROUP,
    inFlight: GROUPS_IN_FLIGHT,
    // The connection went while the group ran: it may have committed, so none is run again.
    unknownOutcome: (error) => error instanceof ParleyError && error.code === 'DATABASE_UNAVAILABLE',
  });

  return {
    kind: 'postgres',
    query: <R>(sql: string, params?: unknown[], options?: QueryOptions) => {
      if (!options?.prepared || !params) return run<R>(pool, url, sql, params, options);
      const literals = params.map(sqlLiteral);
      return grouped({ sql, params, literals: literals.some((literal) => literal === undefined) ? undefined : literals as string[] }) as Promise<QueryResult<R>>;
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await connect(pool, url);
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
