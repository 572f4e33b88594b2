import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphServer } from '../channels/whatsapp-cloud/graph-server.ts';
import { inbound, postSigned } from '../channels/whatsapp-cloud/fixtures.ts';
import { ANA, asAgent, eventually, startHandoffApp, type HandoffApp } from './support.ts';

/** Attachments in the agent's transcript (issue 17): by reference, from a WhatsApp Cloud customer (Graph API stand-in). */
const SECRET = 'whatsapp-app-secret-attachments';

describe('attachments in the agent transcript', () => {
  const graph = new GraphServer();
  let t: HandoffApp;
  beforeAll(async () => {
    await graph.start();
    t = await startHandoffApp({ WHATSAPP_VERIFY_TOKEN: 'verify-attachments', WHATSAPP_APP_SECRET: SECRET, WHATSAPP_ACCESS_TOKEN: 'token', WHATSAPP_GRAPH_URL: graph.url });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await graph.close();
  });

  it('shows what the customer attached by kind, type and caption, without the channel media id', async () => {
    const from = '4915112345678';
    await postSigned(t.url, inbound('text-message', from, 'wamid.att1', { text: { body: 'human' } }), SECRET);
    const id = (await eventually(async () => (await asAgent(t.url, ANA.token, '/agent/api/handoffs')).json.handoffs[0]))!.id;
    await postSigned(t.url, inbound('image-message', from, 'wamid.att2'), SECRET);
    const entry = await eventually(async () => (await asAgent(t.url, ANA.token, `/agent/api/handoffs/${id}`)).json.transcript.find((e: { attachments?: unknown[] }) => e.attachments));
    expect(entry).toMatchObject({ kind: 'customer', attachments: [{ kind: 'image', mimeType: 'image/jpeg', caption: 'the box arrived like this' }] });
    expect(JSON.stringify(entry)).not.toContain('whatsapp-media:');
  });
});
