import pino, { type Logger } from 'pino';
import { redact as redactText } from './redact.ts';

export type { Logger };

/**
 * Fields that may carry what a customer wrote or who they are. Parley logs ids, never these, but the paths are
 * redacted anyway so a careless log line cannot leak them.
 */
const PRIVATE_PATHS = [
  'text',
  'payload',
  'userId',
  'phone',
  'email',
  'name',
  '*.text',
  '*.payload',
  '*.userId',
  '*.phone',
  '*.email',
  '*.name',
  'address.userId',
  '*.address.userId',
  'req.body',
  'body',
];

export interface LoggerOptions {
  level: string;
  /** When false (local debugging only), private fields are logged as they are. */
  redact: boolean;
  destination?: pino.DestinationStream;
}

/** Keys of ids (conversationId, handoffId, …): never customer text, and a uuid's digits must stay as they are. */
const ID_KEY = /(?:^id|Id|Ids|^at|At)$/;

/**
 * Strings anywhere in a log line that are not ids go through the redaction pass (src/infra/redact.ts): an error
 * message quoting what a customer wrote, a reason, a problem description. Bounded in depth and cheap for strings
 * without a digit or an @.
 */
function redactFields(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth <= 0 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactError(value);
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth - 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = ID_KEY.test(key) ? item : redactFields(item, depth - 1);
  return out;
}

function redactError(error: unknown): unknown {
  if (typeof error === 'string') return redactText(error);
  if (!(error instanceof Error)) return redactFields(error, 3);
  const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
  return redactFields(serialized, 3);
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'parley' },
      redact: options.redact ? { paths: PRIVATE_PATHS, censor: '[redacted]' } : undefined,
      ...(options.redact
        ? {
            serializers: { err: redactError, error: redactError },
            formatters: { log: (object: Record<string, unknown>) => redactFields(object, 4) as Record<string, unknown> },
            hooks: {
              logMethod(args: unknown[], method: (...args: unknown[]) => void) {
                method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)));
              },
            },
          }
        : {}),
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
