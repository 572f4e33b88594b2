/**
 * Parley Studio, the server side: releases of flows and knowledge (release-service.ts), served by every process
 * (release-server.ts), edited as drafts (studio-files.ts), previewed (preview.ts) and published over HTTP
 * (studio-routes.ts). No routes exist when nobody could sign in (no agents and no ADMIN_TOKEN).
 */
import type { FastifyInstance } from 'fastify';
import type { AgentSessions } from '../server/auth/agent-sessions.ts';
import type { OpeningHoursSetting } from '../hours/opening-hours.ts';
import type { Logger } from '../infra/logger.ts';
import type { CallEndpoint } from '../integrations/call-endpoints.ts';
import type { RecordedResponses } from '../integrations/recorded-responses.ts';
import type { OpenAiSettings } from '../kb/index.ts';
import type { Store } from '../store/types.ts';
import { analyticsRepository } from '../analytics/repository.ts';
import { studioRepository } from './repository.ts';
import { describedHours } from '../hours/hours-when-unset.ts';
import { StudioPreview } from './preview.ts';
import type { ReleaseServer } from './release-server.ts';
import { registerStudioRoutes } from './studio-routes.ts';

export { ReleaseServer } from './release-server.ts';

export interface StudioOptions {
  serving: ReleaseServer;
  /** The studio's drafts go through its repository, the flow map's counts through the analytics'. */
  store: Store;
  sessions: AgentSessions | undefined;
  config: {
    adminToken: string | undefined; studioTryLimit: number; dataDir: string; minConfidence: number; understandingEncoder: boolean; demoOrders: boolean; openai?: OpenAiSettings | undefined;
    callEndpoints: Readonly<Record<string, CallEndpoint>> | undefined;
    /** OPENING_HOURS: what {{opening_hours}} reads in the preview and the rendered article, as customers get it. */
    handoff: { openingHours: OpeningHoursSetting | undefined };
  };
  /** Each endpoint's latest real answer, which a preview's call step gets when the editor wrote no sample. */
  recorded?: RecordedResponses;
  logger: Logger;
}

export interface Studio {
  /** An editor is opening the page: the preview loads the drafts meanwhile (see StudioPreview.warm). */
  warm(): void;
  close(): Promise<void>;
}

export async function registerStudio(http: FastifyInstance, options: StudioOptions): Promise<Studio> {
  const { serving, config } = options;
  if (!options.sessions && !config.adminToken) return { warm: () => {}, close: async () => {} };
  const preview = new StudioPreview({
    dataDir: config.dataDir, minConfidence: config.minConfidence, encoder: config.understandingEncoder, demoOrders: config.demoOrders, logger: options.logger,
    endpoints: config.callEndpoints ?? {}, ...(options.recorded ? { recorded: options.recorded } : {}), published: () => serving.published,
    ...(config.handoff.openingHours ? { openingHours: config.handoff.openingHours } : {}),
    ...(config.openai ? { openai: config.openai } : {}),
  });
  const files = options.store.repository(studioRepository).files(serving.releases);
  await registerStudioRoutes(http, {
    files, releases: serving.releases, preview, analytics: options.store.repository(analyticsRepository), tryLimit: config.studioTryLimit, openingHours: describedHours(config.handoff.openingHours),
    ...(options.recorded ? { recorded: options.recorded } : {}),
    ...(options.sessions ? { sessions: options.sessions } : {}), ...(config.adminToken ? { adminToken: config.adminToken } : {}),
    ...(serving.knowledge ? { knowledge: serving.knowledge } : {}),
  });
  return {
    warm: () => void files.draftSet().then(({ files: drafts }) => preview.warm(drafts), () => undefined),
    close: () => preview.close(),
  };
}
