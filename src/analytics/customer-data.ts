import { ownRows } from '../store/customer-rows.ts';

/** The analytics' tables (docs/report.md): the per-turn rows and the ratings; merged and erased by their own columns. */
export const analyticsCustomerData = ownRows({
  module: 'analytics',
  tables: {
    analytics_turns: { rows: 'own' },
    conversation_ratings: { rows: 'own' },
  },
});
