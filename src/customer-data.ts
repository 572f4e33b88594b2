/**
 * Every module's tables that name a customer, with each module's part in merging and erasing one
 * (src/store/customer-rows.ts), for erasing, exporting and merging customers. The app and the CLI hand this list on;
 * a module never reads another's. The order is the order they run in: a module's rows go before the rows they point
 * at (a handoff before its conversation), the customers module's last, with the customer's row.
 */
import { analyticsCustomerData } from './analytics/customer-data.ts';
import { customersCustomerData } from './customers/customer-data.ts';
import { handoffCustomerData } from './handoff/customer-data.ts';
import { kbCustomerData } from './kb/customer-data.ts';
import { privacyCustomerData } from './privacy/customer-data.ts';
import { storeCustomerData } from './store/customer-data.ts';
import type { CustomerRows } from './store/customer-rows.ts';

export const CUSTOMER_DATA: readonly CustomerRows[] = [
  kbCustomerData, privacyCustomerData, analyticsCustomerData, handoffCustomerData, storeCustomerData, customersCustomerData,
];
