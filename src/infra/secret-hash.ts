/**
 * Secrets are stored as hashes only (AGENTS' passwords and tokens, NOTIFY_API_KEYS): how they are hashed and checked.
 * `npx tsx src/handoff/hash-secret.ts` prints a hash to put in a setting.
 */
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** `scrypt$N$r$p$salt$hash` of a password (N 16384, r 8, p 1, 16-byte salt, 32-byte hash). */
export function hashPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** `sha256$hex` of a token (tokens are long and random, so a fast hash is enough). */
export function hashToken(token: string): string {
  return `sha256$${createHash('sha256').update(token).digest('hex')}`;
}

/** Checks a password against its `scrypt$…` hash, off the event loop. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [, n, r, p, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash ?? '', 'base64');
  if (expected.length === 0) return false;
  const options: ScryptOptions = { N: Number(n), r: Number(r), p: Number(p), maxmem: 256 * 1024 * 1024 };
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(salt ?? '', 'base64'), expected.length, options, (error, key) => (error ? reject(error) : resolve(key))));
  return timingSafeEqual(actual, expected);
}

export function verifyToken(token: string, stored: string): boolean {
  const actual = Buffer.from(hashToken(token));
  const expected = Buffer.from(stored);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
