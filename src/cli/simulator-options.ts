import path from 'node:path';
import type { Config } from '../config.ts';
import type { SimulatorEffectOptions } from '../editor/simulator-effects.ts';
import { createLogger } from '../infra/logger.ts';

/** The simulator's effects, configured as the server's are (CALL_ENDPOINTS, DEMO_MODE, the knowledge directory). */
export function simulatorOptions(config: Config, cwd = process.cwd()): SimulatorEffectOptions {
  return {
    endpoints: config.callEndpoints ?? {},
    demoMode: config.demoMode,
    knowledgeDir: path.resolve(cwd, 'knowledge'),
    dataDir: config.dataDir,
    logger: createLogger({ level: 'silent', redact: true }),
  };
}
