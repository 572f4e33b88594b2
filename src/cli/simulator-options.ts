import type { Config } from '../config.ts';
import type { SimulatorEffectOptions } from '../editor/simulator-effects.ts';
import { createLogger } from '../infra/logger.ts';

/**
 * The simulator's effects, configured as the server's are (CALL_ENDPOINTS, DEMO_ORDERS, KNOWLEDGE_DIR,
 * KB_MIN_CONFIDENCE, UNDERSTANDING_ENCODER, OPENING_HOURS for {{opening_hours}}). `useModel: false` keeps knowledge answers lexical even
 * when OPENAI_API_KEY is set, so that conversation tests give the same answers on every run and cost nothing.
 */
export function simulatorOptions(config: Config, options: { useModel: boolean }): SimulatorEffectOptions {
  return {
    endpoints: config.callEndpoints ?? {},
    demoOrders: config.demoOrders,
    knowledgeDir: config.knowledgeDir,
    minConfidence: config.minConfidence,
    encoder: config.understandingEncoder,
    ...(options.useModel && config.openai ? { openai: config.openai } : {}),
    dataDir: config.dataDir,
    ...(config.handoff.openingHours ? { openingHours: config.handoff.openingHours } : {}),
    logger: createLogger({ level: 'silent', redact: true }),
  };
}
