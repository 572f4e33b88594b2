import { ParleyError } from '../core/errors.ts';
import { lockCustomers, type CustomerRows } from '../store/customer-rows.ts';
import type { Db } from '../store/types.ts';

/** mergeCustomers with the modules' tables given: what the hooks and routes that link customers call. */
export type MergeCustomers = (a: string, b: string, link: { how: 'code' | 'agent'; actor?: string }) => Promise<MergeResult>;

export interface MergeResult {
  /** The customer that remains: the older of the two. */
  customerId: string;
  /** The customer that was folded into it and no longer exists. */
  absorbedId: string;
}

/**
 * Makes two customers one, after the customer proved they hold both identities or an agent linked them (never from a
 * name): the older customer keeps everything — identities, conversations, consent history, and every other row
 * that points at a customer: each module's repository moves its own rows (`CustomerRows.merge`, in the order of
 * src/customer-data.ts; the customers module's last, which deletes the absorbed customer) — and the link is recorded.
 */
export async function mergeCustomers(
  db: Db, modules: readonly CustomerRows[], a: string, b: string, link: { how: 'code' | 'agent'; actor?: string },
): Promise<MergeResult> {
  if (a === b) throw new ParleyError('CONFLICT', 'these identities already belong to the same customer');
  return db.transaction(async (tx) => {
    const both = await lockCustomers(tx, [a, b]);
    if (both.length !== 2) throw new ParleyError('NOT_FOUND', 'one of the customers to link does not exist');
    const [keep, gone] = both as [string, string];
    for (const module of modules) await module.merge(tx, keep, gone);
    await tx.query('INSERT INTO customer_links (customer_id, absorbed_customer_id, how, actor) VALUES ($1, $2, $3, $4)', [keep, gone, link.how, link.actor ?? null]);
    return { customerId: keep, absorbedId: gone };
  });
}
