import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { hashPassword, hashToken, verifyPassword, verifyToken } from '../../src/handoff/agents.ts';
import { resolveQueueOptions } from '../../src/handoff/handoff-queue.ts';
import { createLogger } from '../../src/infra/logger.ts';

const logger = createLogger({ level: 'silent', redact: true });

describe('handoff settings', () => {
  it('reads agents with hashed secrets, and refuses plain ones naming the setting, never the secret', () => {
    const agents = JSON.stringify([{ id: 'ana', name: 'Ana', queues: ['support'], token: hashToken('t0ken-t0ken-t0ken') }]);
    expect(loadConfig({ AGENTS: agents }).handoff.agents.map((a) => a.id)).toEqual(['ana']);
    const plain = JSON.stringify([{ id: 'ana', name: 'Ana', queues: ['support'], password: 'hunter2' }]);
    expect(() => loadConfig({ AGENTS: plain })).toThrow(/AGENTS: 0\.password: must be scrypt/);
    expect(() => loadConfig({ AGENTS: plain })).not.toThrow(/hunter2/);
    expect(() => loadConfig({ AGENTS: '[{"id":"x","name":"X","queues":["a"]}]' })).toThrow(/needs a password or a token hash/);
    expect(() => loadConfig({ AGENTS: 'not json' })).toThrow(/AGENTS: not valid JSON/);
  });

  it('checks passwords with scrypt and tokens by hash', async () => {
    const hash = hashPassword('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong horse', hash)).toBe(false);
    expect(verifyToken('abc', hashToken('abc'))).toBe(true);
    expect(verifyToken('abd', hashToken('abc'))).toBe(false);
  });

  it('keeps the queue on one Redis Cluster slot: a prefix without a {hash tag} is refused', () => {
    expect(() => loadConfig({ HANDOFF_QUEUE_PREFIX: 'parley' })).toThrow(/HANDOFF_QUEUE_PREFIX: must contain a \{hash tag\}/);
    expect(() => resolveQueueOptions({ redisUrl: 'redis://x', prefix: 'bull', logger })).toThrow(/must contain a \{hash tag\}/);
    expect(resolveQueueOptions({ redisUrl: 'redis://x', logger })).toMatchObject({ name: 'handoffs', prefix: '{parley}', attempts: 8 });
  });

  it('turns the Slack desk on with the Slack app settings and SLACK_AGENT_CHANNEL (more in test/channels/slack/config.test.ts)', () => {
    expect(loadConfig({}).handoff.slack).toBeUndefined();
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/set both/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_AGENT_CHANNEL: 'C1' }).handoff.slack).toMatchObject({ agentChannel: 'C1', apiUrl: 'https://slack.com/api/' });
  });
});
