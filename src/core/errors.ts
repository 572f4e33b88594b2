/**
 * Every error Parley raises on purpose carries a code, and each code maps to one HTTP status and one CLI exit
 * code. Callers branch on `code`, never on message text.
 */
export const ErrorCodes = {
  BAD_REQUEST: { status: 400, exit: 2 },
  PAYLOAD_TOO_LARGE: { status: 413, exit: 2 },
  /** The request (headers and body) did not arrive within HTTP_REQUEST_TIMEOUT_MS. */
  REQUEST_TIMEOUT: { status: 408, exit: 2 },
  UNAUTHORIZED: { status: 401, exit: 2 },
  /** A browser request from another origin carrying the agent session cookie (src/server/same-origin.ts), or a signed-in agent without the role a page needs (an editor for the studio). */
  FORBIDDEN: { status: 403, exit: 2 },
  /** Too many failed sign-ins or bearer-token attempts; the response says when to try again (Retry-After). */
  TOO_MANY_ATTEMPTS: { status: 429, exit: 75 },
  /** Over a rate limit (the public web chat's per address and per conversation, Parley Studio's previews per editor); Retry-After says when to go on. */
  RATE_LIMITED: { status: 429, exit: 75 },
  NOT_FOUND: { status: 404, exit: 2 },
  CONFLICT: { status: 409, exit: 1 },
  /** Well-formed, but the content it would publish has errors (Parley Studio); details list the problems. */
  CONTENT_INVALID: { status: 422, exit: 1 },
  FLOW_INVALID: { status: 500, exit: 1 },
  CONFIG_INVALID: { status: 500, exit: 78 },
  REDIS_UNAVAILABLE: { status: 503, exit: 69 },
  DATABASE_UNAVAILABLE: { status: 503, exit: 69 },
  LOCK_TIMEOUT: { status: 503, exit: 75 },
  CHANNEL_SEND_FAILED: { status: 502, exit: 1 },
  CHANNEL_SEND_REJECTED: { status: 502, exit: 1 },
  /** The channel may not take the message now (WhatsApp's 24-hour window): it waits until the customer writes again. */
  CHANNEL_SEND_DEFERRED: { status: 409, exit: 1 },
  SHUTTING_DOWN: { status: 503, exit: 75 },
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly exitCode: number;
  readonly details?: unknown;
  /** Sent as Retry-After (seconds) with the HTTP answer. */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.exitCode = ErrorCodes[code].exit;
    this.details = options.details;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isParleyError(error: unknown, code?: ErrorCode): error is ParleyError {
  return error instanceof ParleyError && (code === undefined || error.code === code);
}
