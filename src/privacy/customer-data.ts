import type { CustomerDataOwner } from '../store/customer-data.ts';

/** The privacy module's tables (docs/privacy.md). */
export const privacyCustomerData: CustomerDataOwner = {
  module: 'privacy',
  tables: {
    data_requests: { rows: 'apart', why: 'kept for the record: an erase closes them and cuts their link to the customer; a merge moves them' },
  },
};
