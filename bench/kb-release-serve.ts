/**
 * Run by kb-releases.ts in a process of its own: one server process's releases (src/studio/release-server.ts) on the
 * given PostgreSQL and Redis, without the rest of the app, so its CPU time and peak RSS are the release's alone.
 * Prints one JSON line when it serves (how long the start took, how the index came to be); then, for each line
 * `await WORD` on standard input, one JSON line when its knowledge answers WORD from the changed entry: the time since
 * the line arrived, the CPU time spent meanwhile (but on asking), the release served and the peak RSS.
 *
 *   DATABASE_URL=… node --import tsx bench/kb-release-serve.ts FLOWS_DIR KNOWLEDGE_DIR DATA_DIR REDIS_PREFIX
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createLogger } from '../src/infra/logger.ts';
import { connectRedis } from '../src/infra/redis.ts';
import { gapRepository } from '../src/kb/gap-store.ts';
import { openStore } from '../src/store/open-store.ts';
import { ReleaseServer } from '../src/studio/release-server.ts';
import { studioRepository } from '../src/studio/repository.ts';

const peakRssMiB = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const print = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

const [flows, knowledge, dataDir, prefix] = process.argv.slice(2);
if (!flows || !knowledge || !dataDir || !prefix || !process.env.DATABASE_URL) throw new Error('usage: DATABASE_URL=… kb-release-serve.ts FLOWS_DIR KNOWLEDGE_DIR DATA_DIR REDIS_PREFIX');
const logger = createLogger({ level: 'warn', redact: true });
const t0 = performance.now();
const c0 = cpuMs();
const redis = await connectRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', autostart: false, dataDir, logger });
const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir });
const subscriber = redis.duplicate();
const server = await ReleaseServer.open({
  repository: store.repository(studioRepository), inFlight: () => store.flowVersionsInFlight(),
  redis: { publisher: redis.client, subscriber, prefix }, dataDir, disk: { flows, knowledge }, watch: { flows: false, knowledge: false },
  logger, graceMs: 0, pollMs: 0, knowledge: { dataDir, recordGaps: false, gaps: store.repository(gapRepository), logger },
});
await server.start();
print({ readyMs: performance.now() - t0, readyCpuMs: cpuMs() - c0, index: server.knowledge!.stats().index, release: server.served, peakRssMiB: peakRssMiB() });

for await (const line of createInterface({ input: process.stdin })) {
  const word = /^await (\S+)$/.exec(line)?.[1];
  if (!word) continue;
  const t = performance.now();
  const c = cpuMs();
  const id = process.env.KB_RELEASE_ENTRY;
  // The CPU of asking, every 50 ms, is not the switch's: it is left out.
  let asking = 0;
  const answered = async () => {
    const before = cpuMs();
    const hit = (await server.knowledge!.search(word, { limit: 1 })).hits[0]?.id;
    asking += cpuMs() - before;
    return hit === id;
  };
  while (!(await answered())) await new Promise((resolve) => setTimeout(resolve, 50));
  print({ ms: performance.now() - t, cpuMs: cpuMs() - c - asking, release: server.served, index: server.knowledge!.stats().index, peakRssMiB: peakRssMiB() });
}
await server.close();
await store.close();
subscriber.disconnect();
await redis.close();
