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

export { hashPassword, hashToken, verifyPassword, verifyToken } from '../infra/secret-hash.ts';
