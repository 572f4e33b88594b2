import type { PartFactory } from '../core/part.ts';
import { registerAdminRoutes } from '../server/admin-routes.ts';
import { registerStudioPage } from '../server/studio-page.ts';
import { registerStudio, type Studio } from './index.ts';

/**
 * Parley Studio (docs/studio.md): its page at /studio and its API (drafts, preview, publish, versions), for editors
 * signed in to the console or the holder of ADMIN_TOKEN; and POST /admin/flows/reload, which publishes FLOWS_DIR.
 */
export const studioPart: PartFactory = ({ config, logger, store, releases, recorded, services }) => {
  let studio: Studio | undefined;
  return {
    name: 'studio',
    routes: {
      async register(scope) {
        const { sessions } = services;
        await registerAdminRoutes(scope, { token: config.adminToken, flows: { reload: () => releases.publishFromDisk() } });
        const opened = await registerStudio(scope, { serving: releases, store, sessions, config, recorded, logger });
        studio = opened;
        await registerStudioPage(scope, sessions ? { sessions, onOpen: () => opened.warm() } : {});
      },
    },
    close: async () => studio?.close(),
  };
};
