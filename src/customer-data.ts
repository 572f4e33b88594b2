/**
 * Every module's tables that name a customer (src/store/customer-data.ts), for erasing, exporting and merging
 * customers. The app and the CLI hand this list on; a module never reads another's.
 */
import { analyticsCustomerData } from './analytics/customer-data.ts';
import { customersCustomerData } from './customers/customer-data.ts';
import { handoffCustomerData } from './handoff/customer-data.ts';
import { kbCustomerData } from './kb/customer-data.ts';
import { privacyCustomerData } from './privacy/customer-data.ts';
import { storeCustomerData, type CustomerDataOwner } from './store/customer-data.ts';

export const CUSTOMER_DATA: readonly CustomerDataOwner[] = [
  storeCustomerData, customersCustomerData, handoffCustomerData, analyticsCustomerData, privacyCustomerData, kbCustomerData,
];
