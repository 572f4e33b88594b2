/**
 * The server's turn pipeline without a network: the real Inbox (dedupe, customer, lock, engine, commit) over an
 * in-memory PGlite store and an in-process lock. `parley chat` and `parley flows test` both run on it, so a
 * conversation behaves here exactly as it does for a customer.
 */
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Address, Button } from '../core/message.ts';
import { runTurn, type ConversationState, type FlowSet } from '../engine/index.ts';
import type { EffectRunner } from '../engine/types.ts';
import { Inbox } from '../inbox/inbox.ts';
import type { Understood } from '../core/understanding.ts';
import { understandOptions, type Understander } from '../understanding/understander.ts';
import { MemoryConversationLock } from '../inbox/memory-lock.ts';
import type { TurnHooks } from '../inbox/turn-hooks.ts';
import { createLogger } from '../infra/logger.ts';
import { personVars } from '../hours/person-available.ts';
import { withOpeningHours } from '../hours/hours-placeholder.ts';
import { describedHours } from '../hours/hours-when-unset.ts';
import type { OpeningHoursSetting } from '../hours/opening-hours.ts';
import { withTurnVars } from '../hours/turn-vars.ts';
import { runMigrations, migrations } from '../store/migrations.ts';
import { openMigratedMemoryDb } from '../store/pglite-db.ts';
import { SqlStore } from '../store/sql-store.ts';
import type { ConversationMode, Store } from '../store/types.ts';

export const SIMULATOR_CHANNEL = 'simulator';

export interface SimReply {
  text: string;
  buttons: Button[];
}

/** What one turn did, as the editor sees it. */
export interface SimTurn {
  replies: SimReply[];
  /** The reason, when this turn handed the conversation to a person. */
  handoff?: string;
  /** What the understanding step decided for the message, when it was free text. */
  understood?: Understood;
  state: ConversationState;
  mode: ConversationMode;
}

const OPEN_DESK = personVars({ desk: true, queue: 'support', now: () => new Date() });

export interface SimulatorOptions {
  /** Performs calls and knowledge base answers (see simulator-effects.ts); absent: every effect fails as not configured. */
  effects?: EffectRunner;
  /** The turn hooks the server installs (src/handoff), when they can run without an agent desk. */
  hooks?: TurnHooks;
  /** The understanding step (see simulator-effects.ts); absent: the engine matches triggers itself. */
  understander?: Understander;
  /** Called when the simulator closes, to release what performs the effects. */
  onClose?: () => Promise<void>;
  /** OPENING_HOURS, which {{opening_hours}} reads as the server does; absent: the demo's week (hours-when-unset.ts). */
  openingHours?: OpeningHoursSetting;
}

export class Simulator {
  private readonly handoffs = new Map<string, string>();
  private readonly inbox: Inbox;
  private sequence = 0;
  /** What the understanding step made of the message of the turn under way, for `--debug`. */
  private understood: Understood | undefined;

  private constructor(private readonly store: Store, private flows: FlowSet, private readonly options: SimulatorOptions) {
    this.inbox = new Inbox({
      store,
      lock: new MemoryConversationLock(),
      // As with an agent desk that is open: a flow testing person_available finds a person.
      runTurn: (state, input) => withOpeningHours(describedHours(options.openingHours),
        withTurnVars(() => OPEN_DESK, (turnState: ConversationState) => runTurn(this.flows, turnState, input)))(state),
      dispatch: () => {},
      logger: createLogger({ level: 'silent', redact: true }),
      // As with an agent desk: a handoff gives the conversation to a person, and the bot goes quiet.
      onHandoff: (conversation, reason) => void this.handoffs.set(conversation.id, reason),
      ...(options.effects ? { effects: options.effects } : {}),
      ...(options.understander ? { understand: async (state: ConversationState, text: string) => {
        const understood = await options.understander!.understand(this.flows, text, understandOptions(state));
        this.understood = understood;
        return understood;
      } } : {}),
      ...(options.hooks ? { hooks: options.hooks } : {}),
    });
  }

  /** A simulator with its own empty in-memory database. */
  static async open(flows: FlowSet, options: SimulatorOptions = {}): Promise<Simulator> {
    const db = await openMigratedMemoryDb(async (fresh) => void (await runMigrations(fresh)), migratedCopyFile());
    return new Simulator(new SqlStore(db), flows, options);
  }

  /** Later conversations and turns use these flows (the editor changed the files). */
  useFlows(flows: FlowSet): void {
    this.flows = flows;
  }

  get flowSet(): FlowSet {
    return this.flows;
  }

  /** A new conversation with a new customer. */
  conversation(options: { locale?: string } = {}): SimConversation {
    const id = randomUUID();
    const address: Address = { channel: SIMULATOR_CHANNEL, conversationId: id, userId: `editor-${id}` };
    return new SimConversation(this, address, options.locale);
  }

  async close(): Promise<void> {
    await this.inbox.close();
    await this.store.close();
    await this.options.onClose?.();
  }

  /** @internal */
  async run(address: Address, action: { open: true } | { text?: string; payload?: string }, locale?: string): Promise<SimTurn> {
    let replies;
    this.understood = undefined;
    if ('open' in action) {
      replies = (await this.inbox.open(address, locale ? { locale } : {})).replies;
    } else {
      this.sequence += 1;
      const result = await this.inbox.receive({
        address,
        externalId: `sim-${this.sequence}`,
        ...(action.text === undefined ? {} : { text: action.text }),
        ...(action.payload === undefined ? {} : { payload: action.payload }),
        receivedAt: new Date(),
        ...(locale ? { locale } : {}),
      });
      replies = result.replies;
    }
    const conversation = await this.store.findConversation(address.channel, address.conversationId);
    const handoff = conversation ? this.handoffs.get(conversation.id) : undefined;
    if (conversation) this.handoffs.delete(conversation.id);
    return {
      replies: replies.map((reply) => ({ text: reply.text ?? '', buttons: reply.buttons })),
      ...(handoff === undefined ? {} : { handoff }),
      ...(this.understood ? { understood: this.understood } : {}),
      state: conversation?.state ?? { vars: {} },
      mode: conversation?.mode ?? 'bot',
    };
  }
}

export class SimConversation {
  private screen: Button[] = [];

  constructor(private readonly simulator: Simulator, readonly address: Address, private readonly locale?: string) {}

  /** The chat opens: the `start: true` flow greets, as when a customer opens the web chat. */
  start(): Promise<SimTurn> {
    return this.track(this.simulator.run(this.address, { open: true }, this.locale));
  }

  /** The customer types `text`. */
  say(text: string): Promise<SimTurn> {
    return this.track(this.simulator.run(this.address, { text }, this.locale));
  }

  /** The customer presses a button: its payload is sent with its title as the text, as the web chat sends it. */
  press(button: Button): Promise<SimTurn> {
    return this.track(this.simulator.run(this.address, { payload: button.payload, text: button.title }, this.locale));
  }

  /** A payload arrives without a button on screen (a link or a deep link that starts a flow). */
  sendPayload(payload: string): Promise<SimTurn> {
    return this.track(this.simulator.run(this.address, { payload }, this.locale));
  }

  /**
   * The buttons on screen: every button of the replies of the last turn that said something, in order. The chat
   * numbers them [1], [2], … across the replies, and a test's `press:` picks among them.
   */
  onScreen(): Button[] {
    return this.screen;
  }

  private async track(turn: Promise<SimTurn>): Promise<SimTurn> {
    const done = await turn;
    if (done.replies.length > 0) this.screen = done.replies.flatMap((reply) => reply.buttons);
    return done;
  }
}

/**
 * Where the simulator keeps its migrated empty database: the system's temp directory (TMPDIR), one file per
 * schema. A copy another PGlite version cannot open is made again and replaced.
 */
function migratedCopyFile(): string {
  const schema = createHash('sha256').update(migrations.map((m) => m.id).join('\u0000')).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), 'parley-cache', `simulator-db-${schema}.tar.gz`);
}
