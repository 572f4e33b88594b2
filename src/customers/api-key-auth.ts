import type { FastifyRequest } from 'fastify';
import { verifyToken } from '../infra/secret-hash.ts';
import type { ApiKey } from './customers-config.ts';

/** The configured key presented as `Authorization: Bearer KEY` or `X-Api-Key: KEY`, compared by hash; else undefined. */
export function apiKeyOf(request: Pick<FastifyRequest, 'headers'>, keys: readonly ApiKey[]): ApiKey | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  const header = request.headers['x-api-key'];
  const presented = bearer ?? (typeof header === 'string' ? header.trim() : undefined);
  if (!presented) return undefined;
  // Every key is checked, so the time taken does not tell which one came close.
  let found: ApiKey | undefined;
  for (const key of keys) if (verifyToken(presented, key.hash)) found ??= key;
  return found;
}
