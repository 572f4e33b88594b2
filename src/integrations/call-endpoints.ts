/**
 * The endpoints `call` steps may use, declared in configuration so that URLs and secrets never live in flow
 * files. CALL_ENDPOINTS holds a JSON object (or CALL_ENDPOINTS_FILE names a JSON file holding it):
 *
 *   { "order_lookup": { "url": "https://shop.example/api/orders/{order}", "method": "GET",
 *                       "headers": { "Authorization": "Bearer ${ORDER_API_TOKEN}" } } }
 *
 * `{param}` in the URL is filled from the step's `with:` (URL-encoded, and refused when it would make a path segment
 * `.` or `..`); the other parameters go in the query string (GET, DELETE) or a JSON body (POST, PUT, PATCH). `${NAME}` in the URL or a header is replaced at start
 * by the environment variable NAME, so the secret itself stays in the environment. `"safe": true` marks a read-only
 * endpoint that Parley Studio's preview may call for real, when the editor allows live calls for the preview;
 * `"record": false` keeps its answers out of the preview's recorded answers (src/integrations/recorded-responses.ts).
 */
import { z } from 'zod';
import { invalidSetting, readJsonSetting } from '../infra/json-setting.ts';

export const CallEndpointSchema = z.strictObject({
  /** http(s) URL; `{param}` placeholders are filled from the call's parameters. */
  url: z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL'),
  /** Default GET. */
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
  /** Sent with every request (API keys, tokens); values may use `${ENV_VAR}`. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'must be a header name'), z.string()).default({}),
  /**
   * Read-only, so a studio preview may call it for real when the editor allows live calls (default false: a preview
   * never calls it, and gets the editor's sample or its recorded answer instead).
   */
  safe: z.boolean().optional(),
  /**
   * false: its answers are never kept as the studio preview's recorded answer (default true; for an endpoint whose
   * answers carry personal data that masking emails, IBANs, cards and phone numbers does not cover, such as names).
   */
  record: z.boolean().optional(),
});

export type CallEndpoint = z.infer<typeof CallEndpointSchema>;

const CallEndpointsSchema = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'endpoint names are letters, digits, _ or -'),
  CallEndpointSchema,
);

/**
 * The endpoints configured by CALL_ENDPOINTS or CALL_ENDPOINTS_FILE (not both), with `${NAME}` expanded from `env`;
 * undefined when neither is set. Throws CONFIG_INVALID naming what is wrong (never a secret's value).
 */
export function loadCallEndpoints(env: Record<string, string | undefined>, cwd: string): Record<string, CallEndpoint> | undefined {
  const setting = readJsonSetting(env, 'CALL_ENDPOINTS', CallEndpointsSchema, cwd);
  if (!setting) return undefined;
  const { source, value } = setting;
  const missing: string[] = [];
  const expand = (value: string, where: string) =>
    value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined || found === '') missing.push(`${where} uses \${${name}}, which is not set`);
      return found ?? '';
    });
  const endpoints: Record<string, CallEndpoint> = {};
  for (const [name, endpoint] of Object.entries(value)) {
    endpoints[name] = {
      url: expand(endpoint.url, `${name}.url`),
      method: endpoint.method,
      headers: Object.fromEntries(Object.entries(endpoint.headers).map(([key, value]) => [key, expand(value, `${name}.headers.${key}`)])),
      ...(endpoint.safe ? { safe: true } : {}),
      ...(endpoint.record === false ? { record: false } : {}),
    };
  }
  if (missing.length > 0) throw invalidSetting(`${source}: ${missing.join('; ')}`);
  return endpoints;
}

