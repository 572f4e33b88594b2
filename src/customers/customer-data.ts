import type { CustomerDataOwner } from '../store/customer-data.ts';

/** The customers module's tables (docs/customers.md): the customer, their identities, consent and links. */
export const customersCustomerData: CustomerDataOwner = {
  module: 'customers',
  tables: {
    customers: { rows: 'apart', why: 'the customer row itself: deleted last on an erase, the absorbed one deleted on a merge' },
    identities: { rows: 'own' },
    consent_events: { rows: 'own' },
    consent_refusals: { rows: 'own' },
    link_codes: { rows: 'own' },
    link_code_failures: { rows: 'own' },
    customer_links: { rows: 'own' },
    notify_requests: { rows: 'own' },
  },
};
