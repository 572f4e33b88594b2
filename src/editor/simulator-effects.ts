/**
 * What performs the simulator's effects, composed like the server's (src/app.ts): `call` steps go over HTTP to the
 * configured endpoints, and in demo mode `order_lookup` reaches the demo order API, served here on a local port;
 * `answer` steps ask the knowledge base, with the model when one is configured and the caller allows it. The
 * knowledge base records no gaps here: an editor's test questions are not customers' unanswered questions.
 */
import { stat } from 'node:fs/promises';
import { DEFAULT_MIN_CONFIDENCE } from '../kb/confidence.ts';
import type { KnowledgeBase } from '../kb/types.ts';
import { Understander } from '../understanding/understander.ts';
import { encoderOption, keptVectorsFile } from '../understanding/meaning/sentence-encoder.ts';
import type { FlowSet } from '../engine/index.ts';
import type { EffectRunner } from '../engine/types.ts';
import type { Logger } from '../infra/logger.ts';
import type { OpenAiSettings } from '../kb/index.ts';
import type { CallEndpoint } from '../integrations/call-endpoints.ts';
import { createEffectRunner } from '../integrations/effect-runner.ts';
import { createHttpCaller } from '../integrations/http-call.ts';
import { answersWithOpeningHours } from '../hours/hours-placeholder.ts';
import { describedHours } from '../hours/hours-when-unset.ts';
import type { OpeningHoursSetting } from '../hours/opening-hours.ts';
import { Simulator } from './simulator.ts';

export interface SimulatorEffectOptions {
  /** CALL_ENDPOINTS, as configured. */
  endpoints?: Readonly<Record<string, CallEndpoint>>;
  /** DEMO_ORDERS: serve the demo order API and point `order_lookup` at it unless configured. */
  demoOrders: boolean;
  /** The knowledge directory `answer` steps ask; absent or missing: every answer is unsure. */
  knowledgeDir?: string;
  /** KB_MIN_CONFIDENCE. */
  minConfidence?: number;
  /** With a model (OPENAI_*): hybrid retrieval and written answers; absent: lexical and extractive. */
  openai?: OpenAiSettings;
  dataDir: string;
  logger: Logger;
  /** OPENING_HOURS, for {{opening_hours}}. */
  openingHours?: OpeningHoursSetting;
  /** UNDERSTANDING_ENCODER: re-rank by meaning, as the server does. */
  encoder?: boolean;
}

export interface SimulatorEffects {
  effects: EffectRunner;
  /** The understanding step over the flows given per call and this knowledge base, as the server runs it. */
  understander: Understander;
  close(): Promise<void>;
}

/** A simulator whose effects are performed as configured. */
export async function openSimulator(flows: FlowSet, options: SimulatorEffectOptions): Promise<Simulator> {
  const { effects, understander, close } = await openSimulatorEffects(flows, options);
  try {
    return await Simulator.open(flows, { effects, understander, onClose: close, ...(options.openingHours ? { openingHours: options.openingHours } : {}) });
  } catch (error) {
    await close();
    throw error;
  }
}

export async function openSimulatorEffects(flows: FlowSet, options: SimulatorEffectOptions): Promise<SimulatorEffects> {
  const closers: (() => Promise<void>)[] = [];
  let endpoints: Record<string, CallEndpoint> = { ...options.endpoints };
  if (options.demoOrders && !endpoints.order_lookup) {
    const demo = await serveDemoOrders();
    closers.push(demo.close);
    endpoints = { ...endpoints, order_lookup: demo.endpoint };
  }
  let knowledge: KnowledgeBase | undefined;
  if (options.knowledgeDir && usesStep(flows, 'answer') && (await stat(options.knowledgeDir).catch(() => undefined))?.isDirectory()) {
    const { createKnowledgeBase } = await import('../kb/index.ts');
    knowledge = await createKnowledgeBase({
      dir: options.knowledgeDir,
      dataDir: options.dataDir,
      ...(options.minConfidence === undefined ? {} : { minConfidence: options.minConfidence }),
      ...(options.openai ? { openai: options.openai } : {}),
      recordGaps: false,
      logger: options.logger,
    });
  }
  const call = createHttpCaller({ endpoints: () => endpoints, logger: options.logger });
  const kb = knowledge;
  const { encoder } = encoderOption(options.encoder ?? false);
  // The vectors a server on the same data directory kept: the flows' and articles' texts are not encoded again.
  await encoder?.restore?.(keptVectorsFile(options.dataDir));
  const understander = new Understander({
    minConfidence: options.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
    ...(kb ? { knowledge: () => kb.snapshot() } : {}),
    ...(encoder ? { encoder } : {}),
  });
  return {
    // {{opening_hours}} in an article's answer reads the hours as on the server.
    effects: createEffectRunner({ call, logger: options.logger, ...(knowledge ? { knowledge: answersWithOpeningHours(describedHours(options.openingHours), knowledge) } : {}) }),
    understander,
    close: async () => {
      for (const close of closers) await close();
    },
  };
}

function usesStep(flows: FlowSet, kind: 'call' | 'answer'): boolean {
  for (const flow of flows.flows.values()) for (const step of flow.steps.values()) if (step.kind === kind) return true;
  return false;
}

/** The demo shop's order API on a free local port, as the server serves it in demo mode. */
async function serveDemoOrders(): Promise<{ endpoint: CallEndpoint; close: () => Promise<void> }> {
  const [{ default: Fastify }, { demoOrderEndpoint, registerDemoOrderRoutes }] = await Promise.all([
    import('fastify'),
    import('../demo/demo-orders.ts'),
  ]);
  const app = Fastify({ logger: false });
  await registerDemoOrderRoutes(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: demoOrderEndpoint(`http://127.0.0.1:${port}`), close: () => app.close() };
}
