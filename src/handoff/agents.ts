/**
 * The agents who may use the agent console, configured by the admin: AGENTS holds a JSON array (or AGENTS_FILE
 * names a JSON file holding it). Secrets are stored as hashes only:
 *
 *   [{ "id": "ana", "name": "Ana", "queues": ["support"], "admin": true, "password": "scrypt$16384$8$1$<salt>$<hash>" },
 *    { "id": "ops", "name": "Ops", "queues": ["support", "billing"], "token": "sha256$<hex of the token's SHA-256>" },
 *    { "id": "eve", "name": "Eve", "editor": true, "password": "scrypt$…" }]
 *
 * An editor works on flows and knowledge in Parley Studio (/studio); an editor-only entry needs no queues.
 *
 * `npx tsx src/handoff/hash-secret.ts <password>` prints a password's `scrypt$…` line.
 */
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { readJsonSetting } from '../infra/json-setting.ts';

const PasswordHash = z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'must be scrypt$N$r$p$salt$hash (see src/handoff/hash-secret.ts)');
const TokenHash = z.string().regex(/^sha256\$[0-9a-f]{64}$/, 'must be sha256$<64 hex digits>');

export const AgentSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'ids are 1–64 letters, digits, . _ -'),
    name: z.string().min(1).max(100),
    /** The handoff queues this agent works; they see only these. Only an editor may have none. */
    queues: z.array(z.string().min(1).max(64)).default([]),
    /** Admins also see the operator pages (report, WhatsApp Web sign-in, data requests). Default false. */
    admin: z.boolean().optional(),
    /** Editors author, preview and publish flows and knowledge in Parley Studio (admins are editors too). Default false. */
    editor: z.boolean().optional(),
    password: PasswordHash.optional(),
    token: TokenHash.optional(),
  })
  .refine((agent) => agent.password !== undefined || agent.token !== undefined, 'needs a password or a token hash')
  .refine((agent) => agent.queues.length > 0 || agent.editor === true, 'needs at least one queue, unless it is an editor ("editor": true)');

/** Whether this agent may use Parley Studio. */
export function isEditor(agent: Pick<Agent, 'editor' | 'admin'>): boolean {
  return agent.editor === true || agent.admin === true;
}

export type Agent = z.infer<typeof AgentSchema>;

const AgentsSchema = z.array(AgentSchema).superRefine((agents, ctx) => {
  const seen = new Set<string>();
  for (const agent of agents) {
    if (seen.has(agent.id)) ctx.addIssue({ code: 'custom', message: `agent id ${agent.id} appears twice` });
    seen.add(agent.id);
  }
});

/** The agents from AGENTS or AGENTS_FILE (not both); empty when neither is set. Never echoes a secret. */
export function loadAgents(env: Record<string, string | undefined>, cwd: string): Agent[] {
  return readJsonSetting(env, 'AGENTS', AgentsSchema, cwd)?.value ?? [];
}

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
