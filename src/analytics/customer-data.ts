import type { CustomerDataOwner } from '../store/customer-data.ts';

/** The analytics' tables (docs/report.md): the per-turn rows and the ratings. */
export const analyticsCustomerData: CustomerDataOwner = {
  module: 'analytics',
  tables: {
    analytics_turns: { rows: 'own' },
    conversation_ratings: { rows: 'own' },
  },
};
