/**
 * The privacy settings. Their zod shape is spread into src/config.ts's EnvSchema, so they are parsed with every
 * other setting, once, at start.
 */
import { z } from 'zod';

export const PRIVACY_ENV = {
  /**
   * Days what customers wrote is kept (messages, handoff transcripts, unanswered questions); older text is deleted
   * by an hourly job. Unset or 0: kept until erased (retention off).
   */
  TRANSCRIPT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
};

type PrivacyEnv = z.infer<z.ZodObject<typeof PRIVACY_ENV>>;

export interface PrivacyConfig {
  /** Undefined when retention is off. */
  retentionDays: number | undefined;
}

export function privacyConfig(e: PrivacyEnv): PrivacyConfig {
  return { retentionDays: e.TRANSCRIPT_RETENTION_DAYS > 0 ? e.TRANSCRIPT_RETENTION_DAYS : undefined };
}
