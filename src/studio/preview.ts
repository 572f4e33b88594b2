/**
 * The studio's preview chat: the draft set (the current release with every draft over it) run through the real
 * engine, understanding step and knowledge base, in the simulator (src/editor/simulator.ts), which keeps its
 * conversations in a database of its own in memory. Nothing real is touched: a `call` step gets the sample the
 * editor gave for its endpoint, else the endpoint's recorded answer (its latest real one, masked:
 * src/integrations/recorded-responses.ts), else, with DEMO_ORDERS, the demo shop's order API answers `order_lookup`,
 * else it fails as not configured. Only when the editor allows live calls for the turn does an endpoint marked
 * `"safe": true` in CALL_ENDPOINTS get called for real; an endpoint not marked safe never. A handoff is shown and not
 * queued, and nothing
 * reaches analytics, the knowledge gaps or customers' data. Preview conversations belong to the editor who started
 * them and are forgotten after PREVIEW_TTL_MS without a message. The same draft set answers "try a question" and
 * runs the conversation tests, as `parley flows test` does in demo mode: the editor's samples, the recorded answers and
 * live calls are for preview turns only.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { isParleyError, ParleyError } from '../core/errors.ts';
import type { Understood } from '../core/understanding.ts';
import type { KnowledgeAnswer } from '../core/knowledge-port.ts';
import { loadTestFile } from '../editor/conversation-tests/load-test-file.ts';
import { findTestFiles, runTestFiles, type FileOutcome } from '../editor/conversation-tests/run-tests.ts';
import { openSimulatorEffects, type SimulatorEffects } from '../editor/simulator-effects.ts';
import { SimConversation, Simulator, type SimReply } from '../editor/simulator.ts';
import type { FlowIssue, FlowSet } from '../engine/model.ts';
import { loadFlows } from '../engine/load-flows.ts';
import type { VarValue } from '../engine/types.ts';
import { answersWithOpeningHours, fillOpeningHours, hitsWithOpeningHours } from '../hours/hours-placeholder.ts';
import { describedHours } from '../hours/hours-when-unset.ts';
import type { OpeningHoursSetting } from '../hours/opening-hours.ts';
import type { Logger } from '../infra/logger.ts';
import { createEffectRunner } from '../integrations/effect-runner.ts';
import type { CallEndpoint } from '../integrations/call-endpoints.ts';
import { createHttpCaller, type CallRequest, type CallResult } from '../integrations/http-call.ts';
import type { RecordedResponses } from '../integrations/recorded-responses.ts';
import type { OpenAiSettings } from '../kb/index.ts';
import { Understander } from '../understanding/understander.ts';
import { encoderOption } from '../understanding/meaning/sentence-encoder.ts';
import { changedPaths, hashFiles, underRoot, writeFilesUnder, writeFileSet, type FileSet } from './file-set.ts';
import type { PublishedSet } from './release-server.ts';
import { SwitchingKnowledgeBase } from './switching-knowledge.ts';

export const PREVIEW_TTL_MS = 30 * 60_000;

export interface PreviewOptions {
  dataDir: string;
  minConfidence: number;
  openai?: OpenAiSettings;
  logger: Logger;
  /** DEMO_ORDERS: the demo shop's order API (served on a local port) answers `order_lookup` when no sample does. */
  demoOrders?: boolean;
  /** CALL_ENDPOINTS: only those marked `safe` are ever called, and only on a turn that allows live calls. */
  endpoints?: Readonly<Record<string, CallEndpoint>>;
  /** Each endpoint's latest real answer, for a call step the editor wrote no sample for. */
  recorded?: RecordedResponses;
  /**
   * The release being served: the preview's knowledge base is its index with the drafted articles layered over it,
   * and the understanding step's index a layer over the release's (instead of indexing everything per draft set).
   * Absent: each draft set's knowledge is indexed whole.
   */
  published?: () => PublishedSet | undefined;
  /** OPENING_HOURS: {{opening_hours}} in flows' texts and articles' answers reads it, as on the server (unset: the demo's week). */
  openingHours?: OpeningHoursSetting;
  /** UNDERSTANDING_ENCODER: re-rank by meaning, as customers' messages are. */
  encoder?: boolean;
  now?: () => number;
}

export interface PreviewRequest {
  conversationId: string;
  /** Neither text nor payload: the chat opens (the greeting). */
  text?: string;
  payload?: string;
  locale?: string;
  /** What each endpoint's `call` answers in the preview (JSON), by endpoint name. */
  samples?: Record<string, unknown>;
  /** The editor allows live calls to the endpoints marked safe on this turn (never to any other). */
  live?: boolean;
}

export interface PreviewTurn {
  conversationId: string;
  replies: SimReply[];
  /** Why the bot handed over, when it did: shown here, queued nowhere. */
  handoff?: string;
  /** What the understanding step decided for free text. */
  understood?: Understood;
  /**
   * The `call` steps this turn ran and what answered each: the editor's sample (`sample`), the endpoint itself
   * (`live`: safe, and live calls allowed), its answer recorded at `recordedAt` (ISO time), or the demo order API.
   */
  calls: { endpoint: string; params: Record<string, VarValue>; sample: boolean; live?: true; recordedAt?: string; demo?: true }[];
  /** Where the conversation stands after the turn. */
  flow: string | null;
  step: string | null;
  vars: Record<string, VarValue>;
}

/** A flow's `call` step, as the studio lists it beside its endpoint's recorded answer. */
export interface CallStepRef {
  flow: string;
  step: string;
  endpoint: string;
  /** The flow's file, as a studio path (`flows/order-status.yaml`). */
  file: string;
}

interface Live {
  conversation: SimConversation;
  usedAt: number;
  samples: Record<string, unknown>;
}

export class StudioPreview {
  private simulator: Promise<Simulator> | undefined;
  private knowledge: SwitchingKnowledgeBase | undefined;
  private servedKey: string | undefined;
  /** Why the served set's flows do not load, when they do not. */
  private flowsError: ParleyError | undefined;
  private readonly conversations = new Map<string, Live>();
  private queue: Promise<unknown> = Promise.resolve();
  /** The samples of the turn under way (turns run one at a time). */
  private turnCalls: PreviewTurn['calls'] = [];
  private turnSamples: Record<string, unknown> = {};
  private turnLive = false;
  /**
   * An editor's preview turn, not a conversation test: only a preview turn gets recorded answers, and the demo order
   * API only where CALL_ENDPOINTS names no `order_lookup` (the tests get it always, as `parley flows test` in demo mode).
   */
  private editorTurn = false;
  private readonly liveCall: (request: CallRequest) => Promise<CallResult>;
  private readonly now: () => number;
  private demo: Promise<SimulatorEffects> | undefined;
  private understander: Understander | undefined;

  constructor(private readonly options: PreviewOptions) {
    this.now = options.now ?? Date.now;
    const safe = Object.fromEntries(Object.entries(options.endpoints ?? {}).filter(([, endpoint]) => endpoint.safe === true));
    this.liveCall = createHttpCaller({ endpoints: () => safe, logger: options.logger });
  }

  /** One turn of an editor's preview conversation on this draft set; turns run one at a time. */
  turn(editor: string, files: FileSet, request: PreviewRequest): Promise<PreviewTurn> {
    return this.serialized(() => this.run(editor, files, request));
  }

  /**
   * Loads this draft set for the preview ahead of the first turn (the page is opening: its first preview then finds
   * the simulator started). Nothing is reported: a set whose flows do not load says so on the turn.
   */
  warm(files: FileSet): void {
    void this.serialized(async () => {
      const started = performance.now();
      const simulator = await this.use(files);
      // The understanding step's index too (the release's, with the drafts as a layer), else the first question waits for it.
      await this.understander?.prepare(simulator.flowSet);
      this.options.logger.debug({ ms: Math.round(performance.now() - started) }, 'studio preview ready');
    }).catch(() => undefined);
  }

  /** One thing at a time: the simulator, its knowledge base and the draft set's folder are shared. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The draft set's knowledge base answering a question, with its ranked results (no gap is recorded). */
  ask(files: FileSet, question: string, locale?: string): Promise<KnowledgeAnswer> {
    return this.serialized(async () => {
      // The knowledge base answers even while a drafted flow does not load: an editor writing an article tries it.
      await this.use(files).catch(onlyFlowErrors);
      const found = await this.knowledge!.answer(question, locale ? { locale } : {});
      // {{opening_hours}} as customers read it (answersWithOpeningHours would hide the ranked results' other fields).
      const hours = describedHours(this.options.openingHours);
      return { ...found, answer: found.answer && fillOpeningHours(found.answer, hours, locale), results: hitsWithOpeningHours(found.results, hours, locale) };
    });
  }

  /**
   * The `call` steps of the draft set's flows, with the endpoint each calls and its file as a studio path; the
   * published release's when the drafts' flows do not load.
   */
  callSteps(files: FileSet): Promise<CallStepRef[]> {
    return this.serialized(async () => {
      const published = this.options.published?.();
      const flows = await this.use(files).then((simulator) => simulator.flowSet, (error: unknown) => {
        onlyFlowErrors(error);
        return published?.flows;
      });
      // Flow files are read from the draft set's folder, or the release's (release-server.ts writes it there).
      const roots = [path.join(this.options.dataDir, 'studio-preview', this.servedKey ?? '-', 'flows'), ...(published ? [path.join(this.options.dataDir, 'releases', String(published.release), 'flows')] : [])];
      const studioPath = (file: string) => {
        const root = roots.find((dir) => !path.relative(dir, file).startsWith('..'));
        return `flows/${(root ? path.relative(root, file) : path.basename(file)).split(path.sep).join('/')}`;
      };
      const steps: CallStepRef[] = [];
      for (const flow of flows?.flows.values() ?? []) {
        for (const step of flow.steps.values()) if (step.kind === 'call') steps.push({ flow: flow.name, step: step.id, endpoint: step.endpoint, file: studioPath(flow.file) });
      }
      return steps.sort((a, b) => (a.flow < b.flow ? -1 : a.flow > b.flow ? 1 : 0));
    });
  }

  /**
   * Runs the draft set's conversation tests (or those of one file), as `parley flows test` does; file names are
   * studio paths. A test file whose `flows_dir` leaves the flows folder is reported, not run.
   */
  runTests(files: FileSet, only?: string): Promise<FileOutcome[]> {
    return this.serialized(async () => {
      // The preview's own simulator runs them (each test is a new conversation): no second database to start (seconds).
      // Not with OpenAI, whose answers the tests do not use; nor while the drafts' flows do not load (there is none,
      // and each test file says what stops them).
      const served = await this.use(files).catch(onlyFlowErrors);
      const dir = path.join(this.options.dataDir, 'studio-preview', this.servedKey!);
      const flowsRoot = path.join(dir, 'flows');
      const outcomes: FileOutcome[] = [];
      const runnable: string[] = [];
      for (const file of await findTestFiles(flowsRoot)) {
        const shown = path.relative(dir, file).split(path.sep).join('/');
        if (only !== undefined && shown !== only) continue;
        const loaded = loadTestFile(shown, await readFile(file, 'utf8'));
        const elsewhere = loaded.ok && loaded.spec.flows_dir !== undefined && path.relative(flowsRoot, path.resolve(path.dirname(file), loaded.spec.flows_dir)).startsWith('..');
        if (elsewhere) outcomes.push({ file: shown, problems: [{ file: shown, line: 1, col: 1, message: 'flows_dir must stay inside flows/ in the studio' }], problemsIn: 'test-file', tests: [] });
        else runnable.push(file);
      }
      // A test run on a simulator of its own reads the knowledge from files, which a layered preview did not write.
      if (!served || this.options.openai) await writeFilesUnder(underRoot(files, 'knowledge'), dir);
      const open = async (flows: FlowSet) => {
        const { effects, understander, close } = await openSimulatorEffects(flows, {
          endpoints: {}, demoOrders: this.options.demoOrders ?? false, knowledgeDir: path.join(dir, 'knowledge'),
          minConfidence: this.options.minConfidence, dataDir: this.options.dataDir, logger: this.options.logger,
          ...(this.options.openingHours ? { openingHours: this.options.openingHours } : {}),
        });
        return Simulator.open(flows, { effects, understander, onClose: close, ...(this.options.openingHours ? { openingHours: this.options.openingHours } : {}) });
      };
      let borrowed = {};
      if (served && !this.options.openai) {
        const own = served.flowSet;
        this.turnCalls = [];
        this.turnSamples = {}; // as `parley flows test`: no editor's samples, no live calls
        this.turnLive = false;
        this.editorTurn = false;
        borrowed = { open: async () => served, release: async () => served.useFlows(own) };
      }
      outcomes.push(...(await runTestFiles(runnable, flowsRoot, { cwd: dir, open, ...borrowed })));
      return outcomes.sort((a, b) => (a.file < b.file ? -1 : 1));
    });
  }

  async close(): Promise<void> {
    await this.queue;
    await (await this.demo?.catch(() => undefined))?.close();
    const simulator = await this.simulator?.catch(() => undefined);
    await simulator?.close();
    await this.knowledge?.close();
    await rm(path.join(this.options.dataDir, 'studio-preview'), { recursive: true, force: true });
  }

  private async run(editor: string, files: FileSet, request: PreviewRequest): Promise<PreviewTurn> {
    this.forgetIdle();
    const simulator = await this.use(files);
    const key = `${editor}\n${request.conversationId}`;
    let live = this.conversations.get(key);
    if (!live) {
      live = { conversation: simulator.conversation(request.locale ? { locale: request.locale } : {}), usedAt: this.now(), samples: {} };
      this.conversations.set(key, live);
    }
    live.usedAt = this.now();
    if (request.samples) live.samples = request.samples;
    this.turnCalls = [];
    this.turnSamples = live.samples;
    this.turnLive = request.live === true;
    this.editorTurn = true;
    const turn = request.payload !== undefined
      ? await live.conversation.sendPayload(request.payload)
      : request.text !== undefined ? await live.conversation.say(request.text) : await live.conversation.start();
    return {
      conversationId: request.conversationId,
      replies: turn.replies,
      ...(turn.handoff === undefined ? {} : { handoff: turn.handoff }),
      ...(turn.understood ? { understood: turn.understood } : {}),
      calls: this.turnCalls,
      flow: turn.state.flow ?? null,
      step: turn.state.step ?? null,
      vars: turn.state.vars,
    };
  }

  /**
   * The simulator, running this draft set's flows and knowledge (written out and loaded when the set changed). The
   * knowledge base switches first, so it serves the set even when its flows do not load (CONTENT_INVALID).
   */
  private async use(files: FileSet): Promise<Simulator> {
    const published = this.options.published?.();
    // The release is part of the key: after a publish the same drafts are layered over the new release.
    const key = createHash('sha256').update(JSON.stringify([published?.release ?? null, ...Object.entries(files).sort()])).digest('hex').slice(0, 16);
    if (key === this.servedKey) {
      if (this.flowsError) throw this.flowsError;
      if (this.simulator) return this.simulator;
    }
    const dir = path.join(this.options.dataDir, 'studio-preview', key);
    if (key !== this.servedKey) {
      const drafted = published && published.knowledge.withDrafts(knowledgeDrafts(published.hashes, files));
      // Layered over the release's knowledge base, the articles are not read from files: only the flows are written.
      await writeFileSet(drafted ? underRoot(files, 'flows') : files, dir);
      const knowledgeDir = path.join(dir, 'knowledge');
      const settings = {
        dataDir: this.options.dataDir, minConfidence: this.options.minConfidence, recordGaps: false, logger: this.options.logger,
        ...(this.options.openai ? { openai: this.options.openai } : {}),
      };
      if (drafted) {
        if (this.knowledge) await this.knowledge.use(await drafted);
        else this.knowledge = SwitchingKnowledgeBase.of(await drafted, settings);
      } else if (this.knowledge) await this.knowledge.switchTo(knowledgeDir);
      else this.knowledge = await SwitchingKnowledgeBase.open(knowledgeDir, settings);
      // The previous set's folder is no longer read: its flows are in memory, its index was closed.
      if (this.servedKey) await rm(path.join(this.options.dataDir, 'studio-preview', this.servedKey), { recursive: true, force: true });
      this.servedKey = key;
    }
    this.flowsError = undefined;
    let flows: FlowSet;
    try {
      flows = await loadFlows(path.join(dir, 'flows'));
    } catch (error) {
      if (!isParleyError(error, 'FLOW_INVALID')) throw error;
      const problems = (error.details as FlowIssue[]).map((i) => ({ path: `flows/${path.relative(path.join(dir, 'flows'), i.file).split(path.sep).join('/')}`, line: i.line, col: i.col, severity: 'error', message: i.message }));
      this.flowsError = new ParleyError('CONTENT_INVALID', 'the drafts\' flows do not load; fix them to preview', { details: { problems } });
      throw this.flowsError;
    }
    if (this.simulator) (await this.simulator).useFlows(flows);
    else this.simulator = this.openSimulator(flows);
    return this.simulator;
  }

  private openSimulator(flows: FlowSet): Promise<Simulator> {
    const knowledge = this.knowledge!;
    // As `parley chat` understands (src/editor/simulator-effects.ts): Parley's own requests belong to hooks the preview does not run.
    const understander = (this.understander = new Understander({
      // The release's flows and articles are indexed once (kept under DATA_DIR for the next start), the drafts as a layer
      // over them. Not the server's own index: that one ranks Parley's own requests too, which the preview leaves to
      // hooks it does not run, and their words in the statistics would move its decisions.
      minConfidence: this.options.minConfidence, knowledge: () => knowledge.snapshot(), indexDir: path.join(this.options.dataDir, 'studio', 'understanding-index'),
      baseline: () => {
        const published = this.options.published?.();
        return published && { flows: published.flows, knowledge: published.knowledge.snapshot() };
      },
      ...encoderOption(this.options.encoder ?? false),
    }));
    // {{opening_hours}} in flows' texts (the simulator) and articles' answers (the effects) as customers get it.
    const hours = this.options.openingHours;
    const effects = createEffectRunner({ call: (request) => this.sample(request), knowledge: answersWithOpeningHours(describedHours(hours), knowledge), logger: this.options.logger });
    const opened = Simulator.open(flows, { effects, understander, ...(hours ? { openingHours: hours } : {}) });
    opened.catch(() => (this.simulator = undefined));
    return opened;
  }

  private async sample(request: CallRequest): Promise<CallResult> {
    const shown = { endpoint: request.endpoint, params: request.params };
    if (this.turnLive && this.options.endpoints?.[request.endpoint]?.safe === true) {
      this.turnCalls.push({ ...shown, sample: false, live: true });
      return this.liveCall(request);
    }
    if (Object.hasOwn(this.turnSamples, request.endpoint)) {
      this.turnCalls.push({ ...shown, sample: true });
      return { kind: 'call', ok: true, status: 200, data: this.turnSamples[request.endpoint] };
    }
    const recorded = this.editorTurn ? await this.options.recorded?.get(request.endpoint) : undefined;
    if (recorded) {
      this.turnCalls.push({ ...shown, sample: false, recordedAt: recorded.recordedAt.toISOString() });
      return { kind: 'call', ok: true, status: 200, data: recorded.data };
    }
    // As the server: in a preview turn the demo order API stands in for `order_lookup` only when CALL_ENDPOINTS names none.
    const demo = this.options.demoOrders === true && request.endpoint === 'order_lookup' && !(this.editorTurn && this.options.endpoints?.order_lookup);
    this.turnCalls.push({ ...shown, sample: false, ...(demo ? { demo: true as const } : {}) });
    if (!demo) return { kind: 'call', ok: false, error: 'not_configured' };
    this.demo ??= openSimulatorEffects((await this.simulator!).flowSet, { endpoints: {}, demoOrders: true, dataDir: this.options.dataDir, logger: this.options.logger });
    return (await (await this.demo).effects(request, { conversationId: 'studio-preview' })) as CallResult;
  }

  private forgetIdle(): void {
    const oldest = this.now() - PREVIEW_TTL_MS;
    for (const [key, live] of this.conversations) if (live.usedAt < oldest) this.conversations.delete(key);
  }
}

/** The knowledge files of `files` that differ from the release's, by their path in the knowledge folder (null: removed). */
function knowledgeDrafts(release: Readonly<Record<string, string>>, files: FileSet): Record<string, string | null> {
  const before = underRoot(release, 'knowledge');
  const after = underRoot(files, 'knowledge');
  return Object.fromEntries(changedPaths(before, hashFiles(after)).map((name) => [name.slice('knowledge/'.length), after[name] ?? null]));
}

/** Lets through the one failure a set can have and still be asked or tested: its flows do not load. */
function onlyFlowErrors(error: unknown): void {
  if (!isParleyError(error, 'CONTENT_INVALID')) throw error;
}
