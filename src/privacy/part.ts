import { ParleyError } from '../core/errors.ts';
import type { PartFactory } from '../core/part.ts';
import { createPrivacySystem, removeQueueJobs, type PrivacySystem } from './index.ts';
import { privacyRepository } from './repository.ts';

/**
 * The customer's data (docs/privacy.md): data requests made in conversation (turn hooks), export and erasure from the
 * admin API, transcript retention. Always on. Erasing reaches the handoff queue's jobs and the desks' copies of
 * handoffs (Slack's messages), which exist once every part is built.
 */
export const privacyPart: PartFactory = ({ config, logger, store, redis, customerData, services }) => {
  let system: PrivacySystem | undefined;
  const privacy = () => system ??= createPrivacySystem({
    config: config.privacy, customerData, repository: store.repository(privacyRepository), redis: redis.client, redisUrl: config.redisUrl, queuePrefix: config.handoff.queuePrefix, logger,
    ...(services.handoff ? { removeJobs: async (ids: string[]) => removeQueueJobs(await services.handoff!.queue.bull(), redis.client, ids) } : {}),
    ...(services.deskCopies?.length ? { handoffCopies: services.deskCopies } : {}),
    ...(services.handoff ? { deskRefs: services.handoff.service.handoffs } : {}),
    customerOf: async (ref) => {
      if (!services.customerRef) throw new ParleyError('NOT_FOUND', 'no customers module to find the customer in');
      return services.customerRef(ref);
    },
  });
  return {
    name: 'privacy',
    get hooks() {
      return privacy().hooks;
    },
    routes: { register: (scope, { adminAuth }) => privacy().register(scope, adminAuth) },
    start: () => privacy().start(),
    close: async () => system?.close(),
  };
};
