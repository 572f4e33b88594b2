/** `parley customers <export|erase> ID`: a customer's data, for the operator (src/privacy). */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.ts';
import { ParleyError } from '../core/errors.ts';
import { CUSTOMER_DATA } from '../customer-data.ts';
import { customersRepository } from '../customers/repository.ts';
import { HandoffQueue } from '../handoff/handoff-queue.ts';
import { eraseCustomer, type HandoffCopies } from '../privacy/customer-erase.ts';
import { privacyRepository } from '../privacy/repository.ts';
import { PARLEY_KEY_PREFIX, removeQueueJobs } from '../privacy/index.ts';
import { toJson } from '../privacy/subject.ts';
import { cliLogger } from './kb.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { withStore } from './with-store.ts';

const USAGE = `Usage: parley customers <command> ID [options]

Commands:
  export ID [--out FILE]   write everything Parley holds about the customer as JSON (to stdout, or FILE)
  erase ID [--yes]         delete it everywhere (database, queue jobs, Redis keys) and record an audit row
                           without personal data; asks to confirm unless --yes
  requests [--status open|done] [--json]
                           the data requests customers made in conversation
  help                     show this help

ID is the customer id (uuid), a channel identity such as whatsapp:+491512345678 or web:CONVERSATION,
or a phone number in international form (+491512345678).
`;

export async function customersCommand(args: string[]): Promise<number> {
  const [name = 'help', ...rest] = args;
  switch (name) {
    case 'export':
      return exportCommand(rest);
    case 'erase':
      return eraseCommand(rest);
    case 'requests':
      return requestsCommand(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`parley customers: unknown command '${name}'\n\n${USAGE}`);
      return 2;
  }
}

function oneId(positionals: string[]): string {
  if (positionals.length !== 1 || !positionals[0]!.trim()) throw new ParleyError('BAD_REQUEST', `name one customer\n\n${USAGE}`);
  return positionals[0]!;
}

async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs({ args, options: { out: { type: 'string' } }, allowPositionals: true });
  const ref = oneId(positionals);
  const config = loadConfig();
  return withStore(config, async (store) => {
    const privacy = store.repository(privacyRepository);
    const customerId = await store.repository(customersRepository).directory.resolveRef(ref, config.customers.defaultCountry);
    const json = `${toJson(await privacy.export(CUSTOMER_DATA, customerId), 2)}\n`;
    await privacy.requests.complete(customerId, 'export', 'cli');
    if (values.out) {
      await writeFile(values.out, json, { mode: 0o600 });
      process.stderr.write(`parley customers: customer ${customerId} exported to ${values.out}\n`);
    } else {
      process.stdout.write(json);
    }
    return 0;
  });
}

async function confirm(customerId: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Erase customer ${customerId} and everything Parley holds about them? This cannot be undone. Type "erase" to confirm: `);
    return answer.trim().toLowerCase() === 'erase';
  } finally {
    rl.close();
  }
}

async function eraseCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs({ args, options: { yes: { type: 'boolean' } }, allowPositionals: true });
  const ref = oneId(positionals);
  const config = loadConfig();
  if (!values.yes && !process.stdin.isTTY) throw new ParleyError('BAD_REQUEST', 'erasing needs a confirmation: run it in a terminal, or add --yes');
  return withStore(config, async (store) => {
    const privacy = store.repository(privacyRepository);
    const customerId = await store.repository(customersRepository).directory.resolveRef(ref, config.customers.defaultCountry);
    if (!values.yes && !(await confirm(customerId))) {
      process.stderr.write('parley customers: not erased\n');
      return 1;
    }
    const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    redis.on('error', () => {});
    const queue = new HandoffQueue({ redisUrl: config.redisUrl, name: config.handoff.queueName, prefix: config.handoff.queuePrefix, logger: cliLogger(config) });
    try {
      const connected = await redis.connect().then(() => true, () => false);
      const dataRequestId = await privacy.requests.openRequestId(customerId, 'erase');
      const handoffCopies = await deskCopiesOf(config);
      const result = await eraseCustomer(
        {
          repository: privacy,
          customerData: CUSTOMER_DATA,
          redisPrefixes: [PARLEY_KEY_PREFIX, config.handoff.queuePrefix],
          ...(connected ? { redis, removeJobs: async (ids: string[]) => removeQueueJobs(await queue.bull(), redis, ids) } : {}),
          handoffCopies,
        },
        customerId,
        { requestedBy: dataRequestId ? 'customer request, approved by cli' : 'cli', ...(dataRequestId ? { dataRequestId } : {}) },
      );
      const rows = Object.entries(result.counts).map(([table, n]) => `${table} ${n}`).join(', ');
      process.stdout.write(`erased customer ${customerId}: ${rows} (audit ${result.auditId})\n`);
      let exit = 0;
      if (typeof result.redis === 'object' && 'keys' in result.redis) {
        process.stdout.write(`redis: ${result.redis.keys} keys, ${result.redis.jobs} queue jobs removed\n`);
      } else {
        process.stderr.write(`parley customers: the database is erased, but Redis at ${new URL(config.redisUrl).host} was not reachable: its keys expire on their own, but run the erase again when it is up to remove the queue's jobs now\n`);
        exit = 1;
      }
      for (const [desk, done] of Object.entries(result.copies)) {
        if ('error' in done) {
          process.stderr.write(`parley customers: the ${desk} desk's messages about their handoffs could not be deleted (${done.error}); delete them in ${desk}: ${done.left.join(', ')}\n`);
          exit = 1;
          continue;
        }
        process.stdout.write(`${desk}: ${done.deleted} desk messages deleted\n`);
        if (done.left.length > 0) process.stderr.write(`parley customers: ${done.left.length} ${desk} message(s) in their handoffs' threads were written by people, which the app cannot delete; a workspace admin can, in ${desk}: ${done.left.join(', ')}\n`);
      }
      return exit;
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });
}

async function requestsCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({ args, options: { status: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: false });
  if (values.status !== undefined && values.status !== 'open' && values.status !== 'done') throw new ParleyError('BAD_REQUEST', `--status must be open or done, not '${values.status}'`);
  const config = loadConfig();
  return withStore(config, async (store) => {
    const list = await store.repository(privacyRepository).requests.list(values.status ? { status: values.status as 'open' | 'done' } : {});
    if (values.json) process.stdout.write(list.map((r) => `${JSON.stringify(r)}\n`).join(''));
    else if (list.length === 0) process.stdout.write('No data requests.\n');
    else {
      for (const r of list) {
        process.stdout.write(`${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}  ${r.kind.padEnd(6)}  ${r.status.padEnd(4)}  ${r.customerId ?? '(erased)'}  ${r.id.slice(0, 8).toUpperCase()}\n`);
      }
    }
    return 0;
  });
}

/** The agent desks' copies of handoffs outside Parley that an erase reaches: the Slack desk's, when it is set up. */
async function deskCopiesOf(config: Config): Promise<HandoffCopies[]> {
  const slack = config.handoff.slack;
  if (!slack?.agentChannel) return [];
  const [{ webApi }, { slackDeskCopies }] = await Promise.all([import('@slack/bolt'), import('../../adapters/slack/desk-copies.ts')]);
  return [slackDeskCopies(new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl }))];
}
