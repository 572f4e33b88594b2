/**
 * `npm run bench -- kb-releases`: several server processes sharing one knowledge base through releases (PostgreSQL and
 * Redis). A large synthetic FAQ (kb-query's passages, 100 JSON Lines files) is release 1; a server process
 * (kb-release-serve.ts, a process of its own) starts on it; then one entry of one file is changed and published as
 * `parley publish` does (the files read, checked, committed, announced), and the serving process answers from the changed entry;
 * then it is stopped, another change is published, and it starts again. Printed: the publish's time and the
 * release's bytes in the database, the serving process's time and CPU until it answers, its peak RSS, and its
 * restart — each against its own cold start (building the index of the whole base) in the same run.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openStore } from '../src/store/open-store.ts';
import { readFileSet } from '../src/studio/file-set.ts';
import { announceRelease } from '../src/studio/release-channel.ts';
import { studioRepository } from '../src/studio/repository.ts';
import { createTestDatabase } from '../test/support/postgres.ts';
import { corpus, demoWords, random, sampler, writeFaq } from './kb-query.ts';
import type { Benchmark, BenchOptions } from './run.ts';

const demoFlows = path.resolve(import.meta.dirname, '../flows');

interface Serving {
  child: ChildProcessWithoutNullStreams;
  next(): Promise<Record<string, number | string>>;
}

function serve(knowledgeDir: string, dataDir: string, prefix: string, databaseUrl: string, entry: string): Serving {
  const script = path.join(import.meta.dirname, 'kb-release-serve.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, demoFlows, knowledgeDir, dataDir, prefix], {
    env: { ...process.env, DATABASE_URL: databaseUrl, KB_RELEASE_ENTRY: entry },
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    child,
    async next() {
      const { value, done } = await lines.next();
      if (done) throw new Error(`kb-releases: the serving process ended: ${errors}`);
      return JSON.parse(value as string) as Record<string, number | string>;
    },
  };
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const s2 = (ms: number | string) => `${(Number(ms) / 1000).toFixed(2)} s`;
const mib = (n: number | string) => `${Number(n).toFixed(0)} MiB`;
const ratio = (a: number | string, b: number | string) => `${(Number(a) / Number(b)).toFixed(2)}×`;

async function releasesBytes(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // The releases and, since migration 0020, the contents they name.
    const sql = "SELECT pg_total_relation_size('releases') + COALESCE(pg_total_relation_size(to_regclass('release_contents')), 0) AS bytes";
    return Number((await client.query<{ bytes: string }>(sql)).rows[0]!.bytes);
  } finally {
    await client.end();
  }
}

async function measure(size: number): Promise<string> {
  const rand = random(42);
  const articles = corpus(size, rand, sampler(await demoWords(), Math.max(10, size / 4), rand));
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'parley-kb-releases-'));
  const database = await createTestDatabase();
  const prefix = `bench-releases-${process.pid}-${size}`;
  const publisher = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const store = await openStore({ databaseUrl: database.url, dataDir: scratch });
  let serving: Serving | undefined;
  try {
    const knowledgeDir = path.join(scratch, 'knowledge');
    await mkdir(knowledgeDir);
    const files = await writeFaq(articles, knowledgeDir);
    const changed = `knowledge/${path.basename(files[Math.floor(files.length / 2)]!)}`;
    const first = JSON.parse((await readFile(path.join(scratch, changed), 'utf8')).split('\n')[0]!) as { id: string; title: string };
    const dataDir = path.join(scratch, 'data');
    process.stderr.write(`kb-releases: ${size} passages, the serving process's first start\n`);
    serving = serve(knowledgeDir, dataDir, prefix, database.url, first.id);
    const cold = await serving.next();
    const releases = store.repository(studioRepository).releases({ announce: (release) => announceRelease(publisher, prefix, release.id) });
    const afterSeed = await releasesBytes(database.url);

    // One entry's title changed on disk, then published as `parley publish` does: the files read, checked, committed, announced.
    const publish = async (word: string) => {
      const file = path.join(scratch, changed);
      const [line, ...rest] = (await readFile(file, 'utf8')).split('\n');
      await writeFile(file, [JSON.stringify({ ...JSON.parse(line!), title: `${first.title} ${word}` }), ...rest].join('\n'));
      const t = performance.now();
      const c = cpuMs();
      await releases.publishFiles(await readFileSet({ flows: demoFlows, knowledge: knowledgeDir }), { by: 'bench', message: word });
      return { ms: performance.now() - t, cpuMs: cpuMs() - c };
    };
    process.stderr.write(`kb-releases: ${size} passages, a change published and taken in\n`);
    const t = performance.now();
    serving.child.stdin.write('await zephyrine\n');
    const published = await publish('zephyrine');
    const switched = await serving.next();
    const untilAnswered = performance.now() - t;
    const perRelease = (await releasesBytes(database.url)) - afterSeed;

    process.stderr.write(`kb-releases: ${size} passages, stopped, a change published, started again\n`);
    serving.child.stdin.end();
    await new Promise((resolve) => serving!.child.once('exit', resolve));
    await publish('quetzal');
    serving = serve(knowledgeDir, dataDir, prefix, database.url, first.id);
    const restart = await serving.next();
    serving.child.stdin.write('await quetzal\n');
    const caughtUp = await serving.next();
    if (restart.release !== 3 || caughtUp.ms === undefined) throw new Error('kb-releases: the restart did not serve release 3');
    return (
      `| ${size.toLocaleString('en')} | ${s2(cold.readyMs!)} (${s2(cold.readyCpuMs!)}), ${mib(cold.peakRssMiB!)} | ${s2(published.ms)} (${s2(published.cpuMs)}) | ${(perRelease / 2 ** 20).toFixed(1)} MiB ` +
      `| ${s2(untilAnswered)} | ${s2(switched.cpuMs!)}, ${mib(switched.peakRssMiB!)} | ${s2(restart.readyMs!)} (${s2(restart.readyCpuMs!)}), ${restart.index}, ${mib(restart.peakRssMiB!)} ` +
      `| ${ratio(switched.cpuMs!, cold.readyCpuMs!)} / ${ratio(restart.readyCpuMs!, cold.readyCpuMs!)} |`
    );
  } finally {
    serving?.child.kill();
    await store.close();
    publisher.disconnect();
    await database.drop();
    await rm(scratch, { recursive: true, force: true });
  }
}

export const kbReleases: Benchmark = {
  name: 'kb-releases',
  description: 'a knowledge change shared by server processes through releases (PostgreSQL, Redis) at 1k and 100k passages: publish, the other process answering it, its restart',
  async run(options: BenchOptions) {
    const sizes = (process.env.KB_BENCH_SIZES ?? (options.quick ? '1000' : '1000,100000')).split(',').map(Number);
    const rows: string[] = [];
    for (const size of sizes) rows.push(await measure(size));
    process.stdout.write(
      [
        'A serving process (releases only, a process of its own) and a publishing one (as `parley publish`), one PostgreSQL, one Redis.',
        'Wall time, CPU in brackets; "taken in": from the publish until the serving process answers from the changed entry.',
        '',
        '| passages | serving: cold start, peak RSS | publish one changed entry | database growth (releases and contents) | taken in | serving: CPU until answered, peak RSS | restart after a missed change: ready, index, peak RSS | CPU vs cold start: taken in / restart |',
        '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
      ].join('\n'),
    );
  },
};
