import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphServer } from '../channels/whatsapp-cloud/graph-server.ts';
import { inbound, postSigned } from '../channels/whatsapp-cloud/fixtures.ts';
import { SlackApi, waitFor } from '../channels/slack/slack-api.ts';
import { startHandoffApp, type HandoffApp } from '../handoff/support.ts';

/**
 * Issue 14, item 14: the Slack desk put the customer's name into its message's top-level `text` as it came. Slack
 * parses that text as mrkdwn: a WhatsApp profile name of `<!channel>` notified the whole agent channel, and
 * `<https://…|label>` showed a link the customer chose. Replayed end to end: a WhatsApp customer (signed webhook)
 * asks for a person, and the Slack Web API, pointed at a local server, records what Parley posted.
 */
const SECRET = 'app-secret-for-tests';
const CHANNEL = 'CAGENTS1';
const NAME = '<!channel> Ana & <https://evil.example/login|Reset your password>';
const ESCAPED = '&lt;!channel&gt; Ana &amp; &lt;https://evil.example/login|Reset your password&gt;';

describe('customer text on the Slack desk', () => {
  const graph = new GraphServer();
  const slack = new SlackApi();
  let t: HandoffApp;
  beforeAll(async () => {
    await graph.start();
    await slack.start();
    t = await startHandoffApp({
      DEMO_MODE: 'false',
      WHATSAPP_VERIFY_TOKEN: 'verify-token', WHATSAPP_APP_SECRET: SECRET, WHATSAPP_ACCESS_TOKEN: 'EAAG-token', WHATSAPP_GRAPH_URL: graph.url,
      SLACK_SIGNING_SECRET: 'slack-signing-secret', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_AGENT_CHANNEL: CHANNEL, SLACK_API_URL: slack.url,
    });
  });
  afterAll(async () => {
    await t?.close();
    await slack.close();
    await graph.close();
  });

  /** Every text Slack would parse as mrkdwn in a call: the top-level text and each mrkdwn object of its blocks. */
  const mrkdwnTexts = (args: Record<string, any>): string[] => {
    const found: string[] = [args.text];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        const object = value as Record<string, unknown>;
        if (object.type === 'mrkdwn' && typeof object.text === 'string') found.push(object.text);
        Object.values(object).forEach(walk);
      }
    };
    walk(args.blocks ?? []);
    return found;
  };

  it('escapes the name and what the customer wrote in the handoff message and its thread', async () => {
    const message = (id: string, text: string) => {
      const body = inbound('text-message', '4915100000014', id, { text: { body: text } });
      body.entry[0].changes[0].value.contacts[0].profile.name = NAME;
      return body;
    };
    expect((await postSigned(t.url, message('wamid.ESC1', 'agent'), SECRET)).status).toBe(200);
    const post = await waitFor(() => slack.posts(CHANNEL).find((call) => !call.args.thread_ts));
    expect(post.args.text).toBe(`${ESCAPED} on whatsapp needs a person: customer asked for a person`);
    // The header is plain_text, which Slack shows as written: the name as the customer gave it.
    expect(post.args.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: expect.stringContaining(NAME) } });

    expect((await postSigned(t.url, message('wamid.ESC2', '<!here> <@U0ADMIN> & hi'), SECRET)).status).toBe(200);
    const line = await waitFor(() => slack.posts(CHANNEL).find((call) => call.args.thread_ts && /hi$/.test(call.args.text)));
    expect(line.args.text).toBe('*Customer:* &lt;!here&gt; &lt;@U0ADMIN&gt; &amp; hi');

    const updates = slack.accepted.filter((call) => call.method === 'chat.update');
    for (const call of [post, line, ...updates]) {
      for (const text of mrkdwnTexts(call.args)) expect(text).not.toMatch(/<|>|&(?!amp;|lt;|gt;)/);
    }
  });
});
