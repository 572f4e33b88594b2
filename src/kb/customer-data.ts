import type { CustomerDataOwner } from '../store/customer-data.ts';

/** The knowledge base's table that may hold a customer's words (docs/privacy.md). */
export const kbCustomerData: CustomerDataOwner = {
  module: 'kb',
  tables: {
    kb_gaps: { rows: 'apart', why: 'keeps no link to who asked: an erase finds the customer\'s questions by their text' },
  },
};
