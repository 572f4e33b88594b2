import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { hashToken, isEditor } from '../../src/handoff/agents.ts';

/** Who is an editor: `"editor": true` (an editor-only entry needs no queues), admins, and the demo agent. */
describe('editors in AGENTS', () => {
  const token = hashToken('t0ken-t0ken-t0ken');

  it('an editor-only entry needs no queues; an agent that is no editor still does', () => {
    const config = loadConfig({ AGENTS: JSON.stringify([{ id: 'eve', name: 'Eve', editor: true, token }]) });
    expect(config.handoff.agents).toEqual([expect.objectContaining({ id: 'eve', queues: [], editor: true })]);
    expect(() => loadConfig({ AGENTS: JSON.stringify([{ id: 'ben', name: 'Ben', token }]) })).toThrow(/needs at least one queue, unless it is an editor/);
  });

  it('admins are editors; agents are not unless they say so; in demo mode the demo agent is both', () => {
    expect(isEditor({ admin: true })).toBe(true);
    expect(isEditor({ editor: true })).toBe(true);
    expect(isEditor({})).toBe(false);
    const demo = loadConfig({}).handoff.agents.find((agent) => agent.id === 'demo');
    expect(demo && isEditor(demo) && demo.admin).toBe(true);
  });
});
