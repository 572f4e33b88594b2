import type { CustomerDataOwner } from '../store/customer-data.ts';

/** The handoff's tables (docs/handoff.md) and the agent workspace's beside them. */
export const handoffCustomerData: CustomerDataOwner = {
  module: 'handoff',
  tables: {
    handoffs: { rows: 'own' },
    handoff_notes: { rows: 'own' },
    handoff_replies: { rows: 'with', parent: 'handoffs' },
    handoff_reads: { rows: 'with', parent: 'handoffs' },
    handoff_notices: { rows: 'with', parent: 'messages' },
  },
};
