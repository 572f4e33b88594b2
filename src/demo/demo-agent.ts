import type { Agent } from '../handoff/agents.ts';
import { hashPassword } from '../infra/secret-hash.ts';

/** Sign-in of the demo's agent console, printed at start. Only ever used in DEMO_MODE with no agents configured. */
export const DEMO_AGENT_CREDENTIALS = { id: 'demo', password: 'demo' } as const;

let demoPasswordHash: string | undefined;

/**
 * In demo mode with no agent desk configured, one demo agent works the default queue, so that "talk to a person"
 * in the demo chat reaches the console at /agent instead of going nowhere.
 */
export function demoAgent(queue: string): Agent {
  // Hashed once per process: scrypt costs a third of a second of CPU, and every loadConfig in demo mode asks.
  demoPasswordHash ??= hashPassword(DEMO_AGENT_CREDENTIALS.password);
  return {
    id: DEMO_AGENT_CREDENTIALS.id,
    name: 'Demo agent',
    queues: [queue],
    admin: true,
    editor: true,
    password: demoPasswordHash,
  };
}
