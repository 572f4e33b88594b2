/**
 * Performs `call` effects over HTTP against the configured endpoints. JSON only, bounded in time and size,
 * never following redirects (a redirect could carry the endpoint's credentials elsewhere). Logs the endpoint,
 * the status, the time taken and the failure code, never the parameters (customer values) or the answer.
 */
import type { EffectRequest, EffectResult, VarValue } from '../engine/types.ts';
import { MAX_CALL_TIMEOUT_MS } from '../engine/steps/call.ts';
import type { Logger } from '../infra/logger.ts';
import type { CallEndpoint } from './call-endpoints.ts';

/** Largest answer read, in bytes; a larger one fails with `too_large`. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

export type CallRequest = Extract<EffectRequest, { kind: 'call' }>;
export type CallResult = Extract<EffectResult, { kind: 'call' }>;

export interface HttpCallOptions {
  /** The endpoints by name; read at each call, so they can be completed after start (the demo's own URL). */
  endpoints: () => Readonly<Record<string, CallEndpoint>>;
  logger?: Logger;
  maxResponseBytes?: number;
  fetch?: typeof fetch;
}

/** A function that performs one call and never throws: every failure is `{ ok: false, error }`. */
export function createHttpCaller(options: HttpCallOptions): (request: CallRequest) => Promise<CallResult> {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const fetchImpl = options.fetch ?? fetch;
  return async (request) => {
    const started = performance.now();
    const result = await perform(request);
    options.logger?.info(
      { endpoint: request.endpoint, status: result.status, error: result.error, ms: Math.round(performance.now() - started) },
      result.ok ? 'call succeeded' : 'call failed',
    );
    return result;
  };

  async function perform(request: CallRequest): Promise<CallResult> {
    const endpoint = options.endpoints()[request.endpoint];
    if (!endpoint) return failure('not_configured');
    const built = buildRequest(endpoint, request.params);
    if (typeof built === 'string') return failure(built);
    const timeoutMs = Math.min(Math.max(request.timeoutMs, 1), MAX_CALL_TIMEOUT_MS);
    try {
      const response = await fetchImpl(built.url, {
        method: endpoint.method,
        headers: { accept: 'application/json', ...(built.body ? { 'content-type': 'application/json' } : {}), ...endpoint.headers },
        ...(built.body ? { body: built.body } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        return failure(`http_${response.status}`, response.status);
      }
      const text = await readCapped(response, maxBytes);
      if (text === undefined) return failure('too_large', response.status);
      if (text.trim() === '') return { kind: 'call', ok: true, status: response.status, data: null };
      try {
        return { kind: 'call', ok: true, status: response.status, data: JSON.parse(text) as unknown };
      } catch {
        return failure('invalid_json', response.status);
      }
    } catch (error) {
      const name = (error as { name?: string }).name;
      return failure(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
    }
  }
}

function failure(error: string, status?: number): CallResult {
  return { kind: 'call', ok: false, error, ...(status === undefined ? {} : { status }) };
}

/** Why parameters could not be put into the URL: a `{param}` without a value, or one that would not stay one segment. */
export type BuildError = 'missing_param' | 'invalid_param';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * The URL with `{param}` filled, and the other parameters in the query string or the JSON body. A value is
 * percent-encoded, so `/`, `?` and `#` stay inside it; but `.` is not encoded, and URL parsing reads a path segment
 * of `.` or `..` (or `%2E%2E`) as a step up the path, so a customer's `..` would reach another resource of the API.
 * A path segment that a parameter turns into a dot-segment is refused (`invalid_param`).
 */
export function buildRequest(endpoint: CallEndpoint, params: Readonly<Record<string, VarValue>>): { url: string; body?: string } | BuildError {
  const rest: Record<string, VarValue> = { ...params };
  let error: BuildError | undefined;
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_, name: string) => {
      const value = params[name];
      delete rest[name];
      if (value === undefined || value === null || value === '') error ??= 'missing_param';
      return encodeURIComponent(String(value ?? ''));
    });
  // Path segments are filled one by one (the scheme and host split along too, harmlessly); the query and fragment whole.
  const tailAt = endpoint.url.search(/[?#]/);
  const [head, tail] = tailAt < 0 ? [endpoint.url, ''] : [endpoint.url.slice(0, tailAt), endpoint.url.slice(tailAt)];
  const segments = head.split('/').map((segment) => {
    const filled = fill(segment);
    if (filled !== segment && isDotSegment(filled)) error ??= 'invalid_param';
    return filled;
  });
  const filled = segments.join('/') + fill(tail);
  if (error) return error;
  if (endpoint.method === 'GET' || endpoint.method === 'DELETE') {
    const url = new URL(filled);
    for (const [name, value] of Object.entries(rest)) if (value !== null) url.searchParams.set(name, String(value));
    return { url: url.toString() };
  }
  return { url: filled, body: JSON.stringify(rest) };
}

/** `.` or `..`, as the URL standard reads a path segment: `%2E` (either case) counts as a dot. */
function isDotSegment(segment: string): boolean {
  const dots = segment.replace(/%2e/gi, '.');
  return dots === '.' || dots === '..';
}

/** The body as text, or undefined as soon as it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
