/**
 * The flow set a running Parley serves, and how editors publish a new one safely. `reload()` re-reads the flow
 * directory and swaps only when the whole set loads clean; otherwise the last good set keeps serving and each
 * problem is logged as file:line:col (flow files hold no customer data). Reloads run one at a time.
 *
 * Conversations in the middle of a flow (waiting on an ask, or on an effect) when the set changes finish on the
 * version they started on: replaced versions stay available for `graceMs`, found by `state.flowVersion`, and so do
 * the versions given to `pin` (the releases conversations are in the middle of, loaded from the database by
 * src/studio/release-server.ts, in any process and after a restart). Otherwise they continue on the current set,
 * where the runner moves them to a safe point if their step is gone (see runner.ts).
 */
import { isParleyError } from '../core/errors.ts';
import type { Logger } from '../infra/logger.ts';
import { watchTree, type TreeWatcher } from '../infra/watch-tree.ts';
import { isFlowFile, loadFlows } from './load-flows.ts';
import type { FlowIssue, FlowSet } from './model.ts';
import type { ConversationState } from './types.ts';

export interface FlowRegistryOptions {
  dir: string;
  logger: Logger;
  /** How long a replaced version stays in use for conversations in the middle of it. Default 30 minutes. */
  graceMs?: number;
  /** Quiet time after the last file change before reloading. Default 300 ms. */
  debounceMs?: number;
  now?: () => number;
  load?: (dir: string) => Promise<FlowSet>;
}

export interface ReloadResult {
  /** True when the flow set loaded clean (whether or not it changed). */
  ok: boolean;
  /** The version now served. */
  version: string;
  changed: boolean;
  /** Why the new set was refused, with file:line:col; empty when ok. */
  issues: FlowIssue[];
}

export class FlowRegistry {
  private currentSet: FlowSet;
  private readonly retired = new Map<string, { set: FlowSet; until: number }>();
  private pinned = new Map<string, FlowSet>();
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: TreeWatcher | undefined;
  private readonly now: () => number;
  private readonly graceMs: number;

  private constructor(initial: FlowSet, private readonly options: FlowRegistryOptions) {
    this.currentSet = initial;
    this.now = options.now ?? Date.now;
    this.graceMs = options.graceMs ?? 30 * 60_000;
  }

  /** Loads the flow directory; throws FLOW_INVALID listing every problem, since Parley must not start without flows. */
  static async open(options: FlowRegistryOptions): Promise<FlowRegistry> {
    return new FlowRegistry(await (options.load ?? loadFlows)(options.dir), options);
  }

  get current(): FlowSet {
    return this.currentSet;
  }

  /** The set a turn of this conversation runs on: the version it is in the middle of, while kept, else the current one. */
  forState(state: ConversationState): FlowSet {
    const version = state.flowVersion;
    if (state.flow === undefined || version === undefined || version === this.currentSet.version) return this.currentSet;
    const kept = this.retired.get(version);
    if (!kept) return this.pinned.get(version) ?? this.currentSet;
    if (this.now() >= kept.until) {
      this.retired.delete(version);
      return this.pinned.get(version) ?? this.currentSet;
    }
    return kept.set;
  }

  /** These sets serve the conversations in the middle of one of their flows, with no time limit, until the next call. */
  pin(sets: readonly FlowSet[]): void {
    this.pinned = new Map(sets.map((set) => [set.version, set]));
  }

  /** The versions `pin` keeps. */
  get pinnedVersions(): string[] {
    return [...this.pinned.keys()];
  }

  /** Re-reads the directory; swaps in the new set only when it loads clean. Never throws. */
  reload(): Promise<ReloadResult> {
    const run = this.queue.then(() => this.load());
    this.queue = run.catch(() => {});
    return run;
  }

  /** Reloads (debounced) whenever a flow file under the directory (or a folder in it) changes; settles once watching. */
  async watch(): Promise<void> {
    if (this.watcher) return this.watcher.ready;
    this.watcher = watchTree(this.options.dir, {
      what: 'flows',
      relevant: (relative) => isFlowFile(relative.split('/').at(-1) ?? ''),
      debounceMs: this.options.debounceMs ?? 300,
      logger: this.options.logger,
      onChange: () => void this.reload(),
    });
    return this.watcher.ready;
  }

  async close(): Promise<void> {
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.close();
  }

  private async load(): Promise<ReloadResult> {
    const { logger } = this.options;
    let next: FlowSet;
    try {
      next = await (this.options.load ?? loadFlows)(this.options.dir);
    } catch (error) {
      const issues: FlowIssue[] = isParleyError(error, 'FLOW_INVALID')
        ? (error.details as FlowIssue[])
        : [{ file: this.options.dir, line: 1, col: 1, message: `cannot read the flows: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }];
      for (const issue of issues) logger.warn({ at: `${issue.file}:${issue.line}:${issue.col}`, problem: issue.message }, 'flow problem');
      logger.warn({ version: this.currentSet.version, problems: issues.length }, 'flows not reloaded: still serving the last good version');
      return { ok: false, version: this.currentSet.version, changed: false, issues };
    }
    const previous = this.currentSet;
    this.prune();
    if (next.version === previous.version) return { ok: true, version: previous.version, changed: false, issues: [] };
    this.retired.set(previous.version, { set: previous, until: this.now() + this.graceMs });
    this.retired.delete(next.version);
    this.currentSet = next;
    logger.info({ version: next.version, previous: previous.version, flows: next.flows.size }, 'flows reloaded');
    return { ok: true, version: next.version, changed: true, issues: [] };
  }

  private prune(): void {
    const now = this.now();
    for (const [version, kept] of this.retired) if (now >= kept.until) this.retired.delete(version);
  }
}
