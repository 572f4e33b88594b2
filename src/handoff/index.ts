/** Handoff to people: triggers, context, the BullMQ queue, the service the agent desks call. See docs/handoff.md. */
import type { FlowSet } from '../engine/model.ts';
import type { ConversationState } from '../engine/types.ts';
import type { ConversationLock } from '../inbox/conversation-lock.ts';
import type { HandoffListener } from '../inbox/inbox.ts';
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import type { Logger } from '../infra/logger.ts';
import type { Conversation, Store, StoredMessage } from '../store/types.ts';
import { DeskFanout, type AgentDesk } from './desk.ts';
import type { HandoffConfig } from './handoff-config.ts';
import { createHandoffHooks } from './handoff-hooks.ts';
import { HandoffMonitor } from './handoff-monitor.ts';
import { HandoffQueue } from './handoff-queue.ts';
import { HandoffService, type HandoffServiceOptions } from './handoff-service.ts';
import { handoffRepository } from './handoff-store.ts';
import type { KnowledgeTap } from './knowledge-tap.ts';
import type { SummaryWriter } from './summary.ts';
import { OpeningHours } from '../hours/opening-hours.ts';
import { SignalStore } from './turn-signals.ts';

export { HandoffService } from './handoff-service.ts';
export { HandoffStore } from './handoff-store.ts';
export { HandoffQueue } from './handoff-queue.ts';
export { KnowledgeTap } from './knowledge-tap.ts';
export { ModelSummaryWriter } from './model-summary.ts';
export type { SummaryWriter } from './summary.ts';
export type { AgentDesk, AgentIdentity } from './desk.ts';
export type { Handoff } from './handoff-rows.ts';
export type { HandoffContext } from './context.ts';

export interface HandoffSystemOptions {
  config: HandoffConfig;
  redisUrl: string;
  store: Store;
  lock: ConversationLock;
  dispatch: (conversation: Conversation, messages: StoredMessage[]) => void;
  flows: (state: ConversationState) => FlowSet;
  logger: Logger;
  tap?: KnowledgeTap;
  /** Writes the handoff context's summary (the chat model, when OpenAI is configured). */
  summaryWriter?: SummaryWriter;
  /** Whether a resolve asks for the rating (src/analytics, which also takes the answer). */
  askRating: HandoffServiceOptions['askRating'];
  /** The customer a new handoff's context names (the customers module's `customerSummary`). */
  customerOf: HandoffServiceOptions['customerOf'];
  /** How often the monitor looks (ms). Default 2000. */
  monitorIntervalMs?: number;
}

export interface HandoffSystem {
  service: HandoffService;
  queue: HandoffQueue;
  desks: DeskFanout;
  hooks: TurnHooks;
  onHandoff: HandoffListener;
  /**
   * Adds a desk; add every desk before `start`. `takesHandoffs`: someone works there (a console agent with queues, a
   * channel's desk), as opposed to a desk that only follows handoffs (metrics, suggestions).
   */
  addDesk(desk: AgentDesk, takesHandoffs: boolean): void;
  /**
   * Whether some desk takes handoffs. Without one (AGENTS has editors only) a handoff is not queued to nobody: the
   * app leaves the handoff hooks out and the inbox tells the customer that no person is available.
   */
  readonly staffed: boolean;
  /** Starts the queue's worker and the monitor in this process. */
  start(): void;
  close(): Promise<void>;
}

export function createHandoffSystem(options: HandoffSystemOptions): HandoffSystem {
  const { config, logger } = options;
  const handoffs = options.store.repository(handoffRepository);
  const queue = new HandoffQueue({ redisUrl: options.redisUrl, name: config.queueName, prefix: config.queuePrefix, attempts: config.attempts, logger });
  const desks = new DeskFanout([], logger);
  const service = new HandoffService({
    store: options.store, handoffs, queue, desks, lock: options.lock, dispatch: options.dispatch, flows: options.flows, logger, defaultQueue: config.defaultQueue, routes: config.routes,
    ...(options.summaryWriter ? { summaries: { writer: options.summaryWriter, timeoutMs: config.summaryTimeoutMs } } : {}),
    askRating: options.askRating,
    customerOf: options.customerOf,
    ...(config.openingHours ? { hours: new OpeningHours(config.openingHours) } : {}),
  });
  const { hooks, onHandoff } = createHandoffHooks({
    service,
    signals: new SignalStore(),
    ...(options.tap ? { tap: options.tap } : {}),
    ...(config.personFlow ? { personPayload: config.personFlow } : {}),
    flows: options.flows,
    logger,
  });
  const monitor = new HandoffMonitor({
    service, logger, noticeEveryMs: config.noticeEveryMs, offerAfterMs: config.offerMessageAfterMs,
    ...(options.monitorIntervalMs ? { intervalMs: options.monitorIntervalMs } : {}),
  });
  let staffed = false;
  return {
    service,
    queue,
    desks,
    hooks,
    onHandoff,
    addDesk(desk, takesHandoffs) {
      desks.add(desk);
      staffed ||= takesHandoffs;
    },
    get staffed() {
      return staffed;
    },
    start() {
      queue.startWorker(({ handoffId }) => service.announce(handoffId));
      monitor.start();
    },
    async close() {
      await monitor.stop();
      await queue.close();
    },
  };
}
