/**
 * The report's and /metrics' settings. Their zod shape is spread into src/config.ts's EnvSchema, so they are parsed
 * with every other setting, once, at start.
 */
import { z } from 'zod';

export const REPORT_ENV = {
  /** Bearer token Prometheus scrapes /metrics with (16+ characters); unset: /metrics answers 404. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};

type ReportEnv = z.infer<z.ZodObject<typeof REPORT_ENV>>;

export interface ReportConfig {
  /** Undefined when METRICS_TOKEN is unset: /metrics is off. */
  metricsToken: string | undefined;
}

export function reportConfig(e: ReportEnv): ReportConfig {
  return { metricsToken: e.METRICS_TOKEN };
}
