/**
 * How a server process serves releases. The current release is written out under DATA_DIR/releases/<id>/{flows,
 * knowledge} and read by the usual loaders (the flow registry, the knowledge base), so compiling and indexing work
 * as they do for any folder. A publish anywhere is announced over Redis (release-channel.ts) and every process
 * switches to the database's current release; one that missed it switches at its next poll (RELEASES_POLL_MS) or
 * when it starts. The knowledge of a switch is a layer over the index served: only the files whose content changed are
 * parsed and indexed, and the served release's knowledge is kept under DATA_DIR under one name (`keptAs`), so a restart
 * loads the last kept index and layers the changes since over it.
 *
 * A conversation keeps the release it started its current flow with until that flow ends (the flows' version is in
 * its state): at start and after every switch, the releases of the conversations in the middle of a flow are loaded
 * from the database and pinned in the flow registry, so every process, restarted or not, runs them on their flows.
 *
 * Files on disk (FLOWS_DIR, KNOWLEDGE_DIR) are one more way to publish: when there is no release yet they become
 * release 1; at start, and while FLOWS_WATCH / KB_WATCH watch them, a change on disk whose flows load is published
 * as a release by `files`, "changed on disk" (broken article files are left out by the knowledge base, as before).
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { isParleyError } from '../core/errors.ts';
import { FlowRegistry, type ReloadResult } from '../engine/flow-registry.ts';
import { loadFlows } from '../engine/load-flows.ts';
import type { FlowIssue, FlowSet } from '../engine/model.ts';
import type { Logger } from '../infra/logger.ts';
import { watchTree, type TreeWatcher } from '../infra/watch-tree.ts';
import { isKnowledgeFile } from '../kb/load.ts';
import { changedPaths, hashFiles, readFileSet, sameFiles, underRoot, writeChangedSet, writeFileSet, type FileSet } from './file-set.ts';
import { announceRelease, listenForReleases } from './release-channel.ts';
import type { ReleaseService } from './release-service.ts';
import type { StudioRepository } from './repository.ts';
import type { Release, ReleaseChanges } from './release-store.ts';
import { SwitchingKnowledgeBase, type KnowledgeSettings } from './switching-knowledge.ts';

export interface PublishedSet {
  release: number;
  /** Each file's content hash; the contents are on disk, in the release's folder (not held in memory). */
  hashes: Readonly<Record<string, string>>;
  flows: FlowSet;
  knowledge: SwitchingKnowledgeBase;
}

/** Release folders kept besides the ones in use. */
const KEEP_RELEASE_DIRS = 3;

export interface ReleaseServerOptions {
  /** The studio's repository (src/studio/repository.ts). */
  repository: StudioRepository;
  /** The flow versions conversations are in the middle of a flow of (the store's `flowVersionsInFlight`). */
  inFlight: () => Promise<string[]>;
  /** Announces publishes; `subscriber` (a connection of its own) hears them. */
  redis: { publisher: Redis; subscriber: Redis; prefix: string };
  dataDir: string;
  disk: { flows: string; knowledge: string };
  watch: { flows: boolean; knowledge: boolean };
  logger: Logger;
  /** How long a replaced flow version keeps serving conversations in the middle of it (FLOWS_GRACE_MS). */
  graceMs: number;
  /** How often to ask the database for a newer release, in case an announcement was missed (RELEASES_POLL_MS); 0 or absent: never. */
  pollMs?: number;
  /** The knowledge base's settings; absent: the app was given its own knowledge port. */
  knowledge?: KnowledgeSettings;
}

export class ReleaseServer {
  readonly releases: ReleaseService;
  /** The served release's files' hashes: its contents are in its folder, and a switch reads only those that differ. */
  private servedHashes: Readonly<Record<string, string>> = {};
  private servedId = 0;
  private knowledgeDir = '';
  private queue: Promise<unknown> = Promise.resolve();
  private readonly watchers: TreeWatcher[] = [];
  private stopListening: (() => Promise<void>) | undefined;
  private poll: NodeJS.Timeout | undefined;
  /** Flow sets of earlier releases loaded for conversations in the middle of them, by version. */
  private readonly loadedSets = new Map<string, FlowSet>();

  private constructor(
    private readonly options: ReleaseServerOptions,
    readonly flows: FlowRegistry,
    readonly knowledge: SwitchingKnowledgeBase | undefined,
    /** The folder the flow registry loads from (its loader reads it at each reload). */
    private readonly flowsDir: { current: string },
    release: { id: number; hashes: Readonly<Record<string, string>> },
    releases: ReleaseService,
  ) {
    this.releases = releases;
    this.servedHashes = release.hashes;
    this.servedId = release.id;
    this.knowledgeDir = releaseDir(options.dataDir, release.id, 'knowledge');
  }

  /** Serves the current release (made from the files on disk when there is none); throws FLOW_INVALID when its flows do not load. */
  static async open(options: ReleaseServerOptions): Promise<ReleaseServer> {
    const { logger } = options;
    let server: ReleaseServer | undefined;
    const { publisher, prefix } = options.redis;
    const releases = options.repository.releases({
      announce: async (release) => (server ? server.announce(release) : announceRelease(publisher, prefix, release.id).catch(() => undefined)),
    });
    const release = await writeCurrent(releases, options);
    const dir = releaseDir(options.dataDir, release.id);
    const flowsDir = { current: path.join(dir, 'flows') };
    const flows = await FlowRegistry.open({ dir: flowsDir.current, logger, graceMs: options.graceMs, load: () => loadFlows(flowsDir.current) });
    // Every release is its own folder: the knowledge is kept under one name, so a restart reads the last one's.
    const knowledge = options.knowledge ? await SwitchingKnowledgeBase.open(path.join(dir, 'knowledge'), { ...options.knowledge, keptAs: 'served release' }) : undefined;
    server = new ReleaseServer(options, flows, knowledge, flowsDir, release, releases);
    await server.pinInFlight();
    logger.info({ release: release.id }, 'studio: serving release');
    return server;
  }

  get served(): number {
    return this.servedId;
  }

  /** The release served, its files' hashes, flows and knowledge base (the studio's preview layers the drafts over them). */
  get published(): PublishedSet | undefined {
    return this.knowledge ? { release: this.servedId, hashes: this.servedHashes, flows: this.flows.current, knowledge: this.knowledge } : undefined;
  }

  /** Listens for publishes from other processes, and watches the files on disk when asked to. */
  async start(): Promise<void> {
    const { redis, logger, watch, disk } = this.options;
    this.stopListening = await listenForReleases(redis.subscriber, redis.prefix, () => void this.refresh());
    const { pollMs } = this.options;
    if (pollMs) this.poll = setInterval(() => void this.refresh(), pollMs).unref();
    const onChange = () => void this.publishFromDisk().catch((error: unknown) => logger.error({ err: String(error) }, 'studio: publishing the files on disk failed'));
    if (watch.flows) this.watchers.push(watchTree(disk.flows, { what: 'flows', relevant: (r) => /\.ya?ml$/i.test(r), debounceMs: 300, logger, onChange }));
    if (watch.knowledge) this.watchers.push(watchTree(disk.knowledge, { what: 'knowledge', relevant: isKnowledgeFile, debounceMs: 200, logger, onChange }));
    await Promise.all(this.watchers.map((w) => w.ready));
  }

  /**
   * Publishes the files on disk as a release when their flows load and they differ from the one served (the
   * admin endpoint, SIGHUP, the watchers). Never throws for a broken file: it is logged and reported.
   */
  async publishFromDisk(): Promise<ReloadResult> {
    const before = this.flows.current.version;
    const issues = await flowIssues(this.options.disk.flows);
    if (issues.length > 0) {
      for (const issue of issues) this.options.logger.warn({ at: `${issue.file}:${issue.line}:${issue.col}`, problem: issue.message }, 'flow problem');
      this.options.logger.warn({ version: before, problems: issues.length }, 'flows not reloaded: still serving the last good version');
      return { ok: false, version: before, changed: false, issues };
    }
    const disk = await readFileSet(this.options.disk);
    if (!sameFiles(hashFiles(disk), this.servedHashes)) await this.releases.publishFiles(disk, { by: 'files', message: 'changed on disk', check: false });
    await this.refresh();
    const version = this.flows.current.version;
    return { ok: true, version, changed: version !== before, issues: [] };
  }

  /**
   * Switches to the database's current release if it is not the one served. Switches run one at a time. The release is
   * read only when its id is new, and of its contents only those the served one does not have (a whole release of a
   * large knowledge base is tens of MB).
   */
  refresh(): Promise<void> {
    const run = this.queue.then(async () => {
      if ((await this.releases.store.currentId()) === this.servedId) return;
      const current = await this.releases.store.currentChanges(this.servedHashes);
      if (current && current.id !== this.servedId) await this.serve(current);
    });
    this.queue = run.catch((error: unknown) => this.options.logger.error({ err: String(error) }, 'studio: switching releases failed; the previous release still serves'));
    return this.queue as Promise<void>;
  }

  async close(): Promise<void> {
    clearInterval(this.poll);
    await this.stopListening?.();
    await Promise.all(this.watchers.splice(0).map((w) => w.close()));
    await this.queue;
    await this.flows.close();
    await this.knowledge?.close();
  }

  /** After a publish in this process: switch here, then tell the others. */
  private async announce(release: Release): Promise<void> {
    await this.refresh();
    const { publisher, prefix } = this.options.redis;
    await announceRelease(publisher, prefix, release.id).catch((error: unknown) =>
      this.options.logger.warn({ err: String(error), release: release.id }, 'studio: could not announce the release; other processes switch when they next start'));
  }

  private async serve(release: ReleaseChanges): Promise<void> {
    const { dataDir, logger } = this.options;
    const dir = releaseDir(dataDir, release.id);
    // The files the release did not change are linked from the folder served, and the knowledge base does not read them.
    await writeChangedSet(release, dir, { hashes: this.servedHashes, dir: releaseDir(dataDir, this.servedId) });
    const previousFlowsDir = this.flowsDir.current;
    this.flowsDir.current = path.join(dir, 'flows');
    const loaded = await this.flows.reload();
    if (!loaded.ok) {
      this.flowsDir.current = previousFlowsDir;
      logger.error({ release: release.id, problems: loaded.issues.length }, 'studio: the release\'s flows do not load; still serving the previous release');
      return;
    }
    const knowledgeFiles = underRoot(release.hashes, 'knowledge');
    const changed = new Set(changedPaths(knowledgeFiles, underRoot(this.servedHashes, 'knowledge')));
    if (this.knowledge && changed.size > 0) {
      const unchanged = new Set(Object.keys(knowledgeFiles).filter((name) => !changed.has(name)).map((name) => name.slice('knowledge/'.length)));
      await this.knowledge.switchTo(path.join(dir, 'knowledge'), unchanged);
      this.knowledgeDir = path.join(dir, 'knowledge');
    }
    this.servedId = release.id;
    this.servedHashes = release.hashes;
    logger.info({ release: release.id, by: release.by, version: loaded.version }, 'studio: serving release');
    await this.pinInFlight().catch((error: unknown) => logger.warn({ err: String(error) }, 'studio: could not load the releases of conversations in the middle of a flow'));
    await this.prune().catch(() => undefined);
  }

  /** Loads and pins the flows of every earlier release a conversation is in the middle of a flow of. */
  async pinInFlight(): Promise<void> {
    const wanted = (await this.options.inFlight()).filter((version) => version !== this.flows.current.version);
    const missing = wanted.filter((version) => !this.loadedSets.has(version));
    for (const release of await this.releases.store.withFlowsVersions(missing)) {
      const dir = releaseDir(this.options.dataDir, release.id);
      await writeFileSet(release.files, dir);
      const set = await loadFlows(path.join(dir, 'flows'));
      this.loadedSets.set(release.flowsVersion ?? set.version, set);
    }
    for (const version of this.loadedSets.keys()) if (!wanted.includes(version)) this.loadedSets.delete(version);
    this.flows.pin([...this.loadedSets.values()]);
  }

  /** Removes release folders no longer in use, but the newest few. */
  private async prune(): Promise<void> {
    const root = path.join(this.options.dataDir, 'releases');
    const inUse = new Set([String(this.servedId), path.basename(path.dirname(this.knowledgeDir))]);
    const ids = (await readdir(root)).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    for (const id of ids.slice(KEEP_RELEASE_DIRS)) if (!inUse.has(id)) await rm(path.join(root, id), { recursive: true, force: true });
  }
}

function releaseDir(dataDir: string, id: number, root?: 'flows' | 'knowledge'): string {
  const dir = path.join(dataDir, 'releases', String(id));
  return root ? path.join(dir, root) : dir;
}

/** Why the flows on disk do not load (empty when they do). */
async function flowIssues(dir: string): Promise<FlowIssue[]> {
  try {
    await loadFlows(dir);
    return [];
  } catch (error) {
    return isParleyError(error, 'FLOW_INVALID')
      ? (error.details as FlowIssue[])
      : [{ file: dir, line: 1, col: 1, message: `cannot read the flows: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }];
  }
}

/**
 * The release to serve, written out under DATA_DIR: the current one, or the files on disk when there is none or they
 * changed since last published from disk. Only its hashes are returned, and the release store lets go of its contents:
 * at 100,000 passages they are 36 MB of strings, which the index built next would otherwise share the heap with.
 */
async function writeCurrent(releases: ReleaseService, options: ReleaseServerOptions): Promise<{ id: number; hashes: Readonly<Record<string, string>> }> {
  const disk = await readFileSet(options.disk);
  let release = await releases.current();
  if (!release) {
    await loadFlows(options.disk.flows); // Parley does not start without flows: FLOW_INVALID names every problem.
    release = await releases.seed(disk);
    options.logger.info({ release: release.id, files: Object.keys(disk).length }, 'studio: the files on disk are the first release');
  } else {
    release = (await publishChangeOnDisk(releases, disk, options)) ?? release;
  }
  await writeFileSet(release.files, releaseDir(options.dataDir, release.id));
  releases.store.forget();
  return { id: release.id, hashes: release.hashes };
}

/**
 * At start: files on disk that changed since they were last published from disk (a deploy, a `git pull`) are
 * published, when their flows load; edits made in the studio since are replaced only then.
 */
async function publishChangeOnDisk(releases: ReleaseService, disk: FileSet, options: ReleaseServerOptions): Promise<Release | undefined> {
  const last = await releases.store.lastFromFiles();
  if (Object.keys(disk).length === 0 || (last && sameFiles(last.files, disk))) return undefined;
  const issues = await flowIssues(options.disk.flows);
  if (issues.length > 0) {
    options.logger.warn({ problems: issues.length, first: issues[0] && `${issues[0].file}:${issues[0].line}:${issues[0].col} ${issues[0].message}` }, 'studio: the files on disk changed but their flows do not load; serving the last release');
    return undefined;
  }
  const { release, published } = await releases.publishFiles(disk, { by: 'files', message: 'changed on disk', check: false });
  if (published) options.logger.info({ release: release.id }, 'studio: the files on disk changed since they were last published; published them');
  return release;
}
