import path from 'node:path';
import { z } from 'zod';
import { ParleyError } from './core/errors.ts';

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

/**
 * Every setting Parley reads, parsed once at start. Below the composition root nothing reads `process.env`.
 * Each default is the one documented in `.env.example` and the README's configuration table.
 */
const EnvSchema = z.object({
  /** HTTP port of the server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface the server listens on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Where the embedded database (PGlite) and a Redis started by Parley keep their files. */
  DATA_DIR: z.string().min(1).default('./.parley'),
  /** PostgreSQL connection string; when unset Parley uses PGlite under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Redis for locks, pub/sub between processes and queues. */
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Start a redis-server under DATA_DIR when nothing answers at REDIS_URL and redis-server is on PATH. */
  REDIS_AUTOSTART: booleanFlag.default(true),
  /** Directory of the flow files. */
  FLOWS_DIR: z.string().min(1).default('./flows'),
  /** Log level: fatal, error, warn, info, debug, trace, silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Keep customer text and phone numbers out of logs. Only turn off to debug locally. */
  LOG_REDACT: booleanFlag.default(true),
  /** How often the outbox tries to deliver one reply before marking it failed. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** How long one turn may hold a conversation's lock (ms) before another process may take it over. */
  TURN_LOCK_TTL_MS: z.coerce.number().int().min(1000).default(30000),
});

export type Env = z.infer<typeof EnvSchema>;

/** The name of every setting Parley reads. */
export const SETTING_NAMES: readonly string[] = Object.keys(EnvSchema.shape);

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string;
  redisAutostart: boolean;
  flowsDir: string;
  logLevel: Env['LOG_LEVEL'];
  logRedact: boolean;
  outboxMaxAttempts: number;
  turnLockTtlMs: number;
}

/** Parses the environment into a Config, or throws CONFIG_INVALID naming every bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ParleyError('CONFIG_INVALID', `Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisAutostart: e.REDIS_AUTOSTART,
    flowsDir: path.resolve(cwd, e.FLOWS_DIR),
    logLevel: e.LOG_LEVEL,
    logRedact: e.LOG_REDACT,
    outboxMaxAttempts: e.OUTBOX_MAX_ATTEMPTS,
    turnLockTtlMs: e.TURN_LOCK_TTL_MS,
  };
}
