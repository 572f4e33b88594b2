import pino, { type Logger } from 'pino';

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

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'parley' },
      redact: options.redact ? { paths: PRIVATE_PATHS, censor: '[redacted]' } : undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
