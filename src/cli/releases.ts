/**
 * `parley publish` and `parley releases`: for teams that keep flows and articles in git. Publishing takes the files
 * under FLOWS_DIR and KNOWLEDGE_DIR as a release (checked as the studio checks a publish); export writes a release
 * (the studio's edits included) back as files. Running servers are told over Redis and switch to the new release.
 */
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config.ts';
import { isParleyError, ParleyError } from '../core/errors.ts';
import { readFileSet, writeFilesUnder } from '../studio/file-set.ts';
import { announceRelease } from '../studio/release-channel.ts';
import { studioRepository } from '../studio/repository.ts';
import type { StudioProblem } from '../studio/check-file-set.ts';
import { parseCliArgs } from './parse-cli-args.ts';
import { withStore } from './with-store.ts';

export const PUBLISH_USAGE = `Usage: parley publish --message "what changed" [--by NAME]

Publishes the files under FLOWS_DIR and KNOWLEDGE_DIR as a new release (nothing when they are what is served).
Refused, listing every problem, when \`parley flows check\` or \`parley kb check\` would find an error. Running
servers switch to the new release.
`;

export const RELEASES_USAGE = `Usage: parley releases <command>

Commands:
  list [--json]               the releases, newest first: id, when, by whom, message
  export ID --out DIR         write release ID (\`current\` for the one served) as files: DIR/flows and DIR/knowledge
  help                        show this help
`;

export async function publishCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({ args, options: { message: { type: 'string', short: 'm' }, by: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(PUBLISH_USAGE);
    return 0;
  }
  if (!values.message?.trim()) throw new ParleyError('BAD_REQUEST', `say what changed with --message\n\n${PUBLISH_USAGE}`);
  const config = loadConfig();
  const files = await readFileSet({ flows: config.flowsDir, knowledge: config.knowledgeDir });
  if (Object.keys(files).length === 0) throw new ParleyError('BAD_REQUEST', `no flow or knowledge files under ${config.flowsDir} or ${config.knowledgeDir}`);
  const by = values.by ?? process.env.USER ?? 'cli';
  const outcome = await withStore(config, async (store) => {
    try {
      return await store.repository(studioRepository).releases().publishFiles(files, { by, message: values.message! });
    } catch (error) {
      if (!isParleyError(error, 'CONTENT_INVALID')) throw error;
      for (const p of (error.details as { problems: StudioProblem[] }).problems) process.stdout.write(`${p.path}:${p.line}:${p.col}  ${p.severity}  ${p.message}\n`);
      throw error;
    }
  });
  if (!outcome.published) {
    process.stdout.write(`nothing to publish: release ${outcome.release.id} has these files already\n`);
    return 0;
  }
  process.stdout.write(`published release ${outcome.release.id}\n`);
  await tellServers(config, outcome.release.id);
  return 0;
}

export async function releasesCommand(args: string[]): Promise<number> {
  const [name = 'help', ...rest] = args;
  switch (name) {
    case 'list':
      return listCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(RELEASES_USAGE);
      return 0;
    default:
      process.stderr.write(`parley releases: unknown command '${name}'\n\n${RELEASES_USAGE}`);
      return 2;
  }
}

async function listCommand(args: string[]): Promise<number> {
  const { values } = parseCliArgs({ args, options: { json: { type: 'boolean' } } });
  const releases = await withStore(loadConfig(), (store) => store.repository(studioRepository).releases().summaries(1000));
  for (const r of releases) {
    const line = values.json
      ? JSON.stringify({ release: r.id, at: r.at.toISOString(), by: r.by, message: r.message, source: r.source, files: r.paths.length, changed: r.changed })
      : `${r.id}\t${r.at.toISOString()}\t${r.by}\t${r.message}`;
    process.stdout.write(`${line}\n`);
  }
  return 0;
}

async function exportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCliArgs({ args, allowPositionals: true, options: { out: { type: 'string' } } });
  const [ref] = positionals;
  if (positionals.length !== 1 || !values.out) throw new ParleyError('BAD_REQUEST', `name one release and --out DIR\n\n${RELEASES_USAGE}`);
  if (ref !== 'current' && !/^\d+$/.test(ref!)) throw new ParleyError('BAD_REQUEST', `a release is a number or 'current', not '${ref}'`);
  const release = await withStore(loadConfig(), (store) => {
    const service = store.repository(studioRepository).releases();
    return ref === 'current' ? service.current() : service.get(Number(ref));
  });
  if (!release) throw new ParleyError('NOT_FOUND', ref === 'current' ? 'there is no release yet' : `no release ${ref}`);
  const out = path.resolve(values.out);
  await writeFilesUnder(release.files, out);
  process.stdout.write(`release ${release.id} (${Object.keys(release.files).length} files) written to ${values.out}\n`);
  return 0;
}

/** Best effort: a server that does not hear it switches at its next start. */
async function tellServers(config: Config, id: number): Promise<void> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await announceRelease(redis, config.handoff.queuePrefix, id);
  } catch {
    process.stderr.write('parley: Redis not reachable; running servers switch to the new release when they next start\n');
  } finally {
    redis.disconnect();
  }
}
