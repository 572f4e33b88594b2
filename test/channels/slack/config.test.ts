import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';

describe('Slack settings', () => {
  it('is off without them', () => {
    expect(loadConfig({}).handoff.slack).toBeUndefined();
  });

  it('turns the customer channel on with the signing secret and bot token, and the agent desk too with SLACK_AGENT_CHANNEL', () => {
    expect(loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' }).handoff.slack).toEqual({
      signingSecret: 's', botToken: 'xoxb-1', apiUrl: 'https://slack.com/api/', agentChannel: undefined, customers: true,
    });
    const both = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_AGENT_CHANNEL: 'C1' });
    expect(both.handoff.slack).toMatchObject({ agentChannel: 'C1', customers: true });
    // With a Slack desk, the demo agent of the web console is not added.
    expect(both.handoff.agents).toEqual([]);
  });

  it('SLACK_CUSTOMERS=false leaves only the desk; without a desk, Slack is off', () => {
    expect(loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_AGENT_CHANNEL: 'C1', SLACK_CUSTOMERS: 'false' }).handoff.slack).toMatchObject({ agentChannel: 'C1', customers: false });
    expect(loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CUSTOMERS: 'false' }).handoff.slack).toBeUndefined();
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }],
    [{ SLACK_SIGNING_SECRET: 's' }],
    [{ SLACK_AGENT_CHANNEL: 'C1' }],
    [{ SLACK_SIGNING_SECRET: 's', SLACK_AGENT_CHANNEL: 'C1' }],
  ])('refuses half a Slack app: %j', (env) => {
    expect(() => loadConfig(env)).toThrow(/SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN: set both/);
  });

  it('refuses a SLACK_CUSTOMERS that is not a yes or no', () => {
    expect(() => loadConfig({ SLACK_CUSTOMERS: 'maybe' })).toThrow(/SLACK_CUSTOMERS/);
  });
});
