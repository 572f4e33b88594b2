import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A call Parley made to the Slack Web API stand-in. */
export interface ApiCall { method: string; args: Record<string, any> }

/** The Slack Web API as a local server that records what Parley asked of Slack (SLACK_API_URL points at it). */
export async function fakeSlackApi(): Promise<{ server: Server; url: string; calls: ApiCall[] }> {
  const calls: ApiCall[] = [];
  let ts = 1_700_000_000;
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      const method = request.url!.replace(/^\/api\//, '').split('?')[0]!;
      const args = request.headers['content-type']?.includes('json') ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
      if (typeof args.blocks === 'string') args.blocks = JSON.parse(args.blocks);
      calls.push({ method, args });
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ ok: true, channel: args.channel, ts: args.ts ?? `${ts++}.000100` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, calls };
}
