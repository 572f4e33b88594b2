/**
 * Parley's own requests, which every flow set has: the parts that answer them (customers, privacy, handoff) each
 * contribute theirs, and the understanding step ranks them with the flows and articles. In the order a message that
 * two of them recognise is given to the first (STOP before anything else, as carriers require).
 */
import type { BuiltInIntent } from './core/understanding.ts';
import { CONSENT_START_INTENT, CONSENT_STOP_INTENT } from './customers/consent-keywords.ts';
import { LINK_INTENT, PREFER_CHANNEL_INTENT } from './customers/customer-intents.ts';
import { PERSON_INTENT } from './handoff/person-request.ts';
import { DATA_ERASE_INTENT, DATA_EXPORT_INTENT } from './privacy/data-request-intent.ts';

export const BUILT_IN_INTENTS: readonly BuiltInIntent[] = [
  CONSENT_STOP_INTENT, CONSENT_START_INTENT, LINK_INTENT, PREFER_CHANNEL_INTENT, DATA_ERASE_INTENT, DATA_EXPORT_INTENT, PERSON_INTENT,
];
