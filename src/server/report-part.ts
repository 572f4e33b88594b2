import { analyticsRepository } from '../analytics/repository.ts';
import { ParleyError } from '../core/errors.ts';
import type { PartFactory } from '../core/part.ts';
import { registerReportRoutes } from './report-routes.ts';

/**
 * The voice-of-the-customer report for admins (/admin/report, its API, the new-article drafts, the data requests
 * page) and /metrics for Prometheus (docs/report.md). Reads the analytics part's metrics.
 */
export const reportPart: PartFactory = ({ config, store, services }) => ({
  name: 'report',
  routes: {
    async register(scope, { adminAuth }) {
      const { metrics } = services;
      if (!metrics) throw new ParleyError('CONFIG_INVALID', 'the report part needs the analytics part');
      await registerReportRoutes(scope, { analytics: store.repository(analyticsRepository), adminAuth, metrics, metricsToken: config.report.metricsToken, knowledgeDir: config.knowledgeDir });
    },
  },
});
