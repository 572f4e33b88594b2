/**
 * The web chat as most tests use it: short made-up conversation ids (`c1`) and limits no test reaches, so that a
 * test of flows, handoffs or faults can send hundreds of messages from 127.0.0.1. The web chat's own checks
 * (test/security, test/e2e, test/server/restart) run with the real defaults: random ids, 120 per address, 30 per
 * conversation.
 */
export const LENIENT_WEBCHAT_ENV = { WEBCHAT_WEAK_IDS: 'true', WEBCHAT_ADDRESS_LIMIT: '1000000', WEBCHAT_CONVERSATION_LIMIT: '1000000' } as const;
