/**
 * The customers module's repository: every query of the module, over either database (the same SQL runs on
 * PostgreSQL and PGlite). The directory, the consent ledger and the link codes are its parts; the rest of the module
 * (hooks, routes, the outbound router) reaches the database only through it. Built by `store.repository`.
 */
import type { CustomerRows } from '../store/customer-rows.ts';
import type { Db } from '../store/types.ts';
import { ConsentLedger } from './consent-ledger.ts';
import { CustomerDirectory } from './customer-directory.ts';
import { LinkCodes } from './link-codes.ts';
import { mergeCustomers, type MergeResult } from './merge-customers.ts';

/** What a notify request with an Idempotency-Key found of an earlier one with the same key. */
export interface PriorNotify {
  requestHash: string;
  status: number | null;
  response: Record<string, unknown> | null;
  /** Claimed longer ago than the claim lasts, and never finished. */
  stale: boolean;
}

export interface CustomerLink {
  id: string;
  customer_id: string;
  absorbed_customer_id: string | null;
  how: string;
  actor: string | null;
  channel: string | null;
  at: Date;
}

export class CustomersRepository {
  readonly directory: CustomerDirectory;
  readonly ledger: ConsentLedger;
  readonly codes: LinkCodes;

  constructor(private readonly db: Db) {
    this.directory = new CustomerDirectory(db);
    this.ledger = new ConsentLedger(db);
    this.codes = new LinkCodes(db);
  }

  /** Makes two customers one: every module's rows move, in one transaction (merge-customers.ts). */
  merge(modules: readonly CustomerRows[], a: string, b: string, link: { how: 'code' | 'agent'; actor?: string }): Promise<MergeResult> {
    return mergeCustomers(this.db, modules, a, b, link);
  }

  /** The identities on these channels with this phone number, oldest first. */
  async identitiesWithPhone(phone: string, channels: readonly string[]): Promise<{ channel: string; external_id: string; customer_id: string }[]> {
    const known = await this.db.query<{ channel: string; external_id: string; customer_id: string }>(
      'SELECT channel, external_id, customer_id FROM identities WHERE phone = $1 AND channel = ANY($2::text[]) ORDER BY created_at', [phone, [...channels]]);
    return known.rows;
  }

  /** Claims an Idempotency-Key for a notify request; false when a request with the key was seen before. */
  async claimNotify(keyName: string, key: string, requestHash: string): Promise<boolean> {
    const claimed = await this.db.query(
      'INSERT INTO notify_requests (key_id, idempotency_key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [keyName, key, requestHash]);
    return claimed.rowCount === 1;
  }

  async priorNotify(keyName: string, key: string, staleMs: number): Promise<PriorNotify | undefined> {
    const prior = await this.db.query<{ request_hash: string; status: number | null; response: Record<string, unknown> | null; stale: boolean }>(
      `SELECT request_hash, status, response, created_at < now() - $3 * interval '1 millisecond' AS stale FROM notify_requests WHERE key_id = $1 AND idempotency_key = $2`,
      [keyName, key, staleMs]);
    const row = prior.rows[0];
    return row && { requestHash: row.request_hash, status: row.status, response: row.response, stale: row.stale };
  }

  /** Takes over a claim older than `staleMs` that never finished; false when there is none. */
  async takeOverNotify(keyName: string, key: string, staleMs: number): Promise<boolean> {
    const takeover = await this.db.query(
      `UPDATE notify_requests SET created_at = now() WHERE key_id = $1 AND idempotency_key = $2 AND status IS NULL AND created_at < now() - $3 * interval '1 millisecond'`,
      [keyName, key, staleMs]);
    return takeover.rowCount === 1;
  }

  /** Gives up an unfinished claim: nothing was sent, the key may be used again. */
  async releaseNotify(keyName: string, key: string): Promise<void> {
    await this.db.query('DELETE FROM notify_requests WHERE key_id = $1 AND idempotency_key = $2 AND status IS NULL', [keyName, key]);
  }

  async finishNotify(keyName: string, key: string, status: number, response: unknown, customerId: string | null): Promise<void> {
    await this.db.query('UPDATE notify_requests SET status = $3, response = $4::jsonb, customer_id = $5 WHERE key_id = $1 AND idempotency_key = $2',
      [keyName, key, status, JSON.stringify(response), customerId]);
  }

  /** Adds an identity Parley has never seen to a customer on an agent's word, recorded as a link. */
  async addIdentityOnAgentWord(customerId: string, channel: string, userId: string, phone: string | null, actor: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const added = await tx.query('INSERT INTO identities (channel, external_id, customer_id, phone) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [channel, userId, customerId, phone]);
      if (added.rowCount === 1) {
        await tx.query(`INSERT INTO customer_links (customer_id, how, actor, channel) VALUES ($1, 'agent-word', $2, $3)`, [customerId, actor, channel]);
      }
    });
  }

  /** The links made, newest first; of one customer when given. */
  async links(customerId: string | undefined, limit: number): Promise<CustomerLink[]> {
    const rows = await this.db.query<CustomerLink>(
      `SELECT id, customer_id, absorbed_customer_id, how, actor, channel, at FROM customer_links
       WHERE $1::uuid IS NULL OR customer_id = $1::uuid ORDER BY id DESC LIMIT $2`,
      [customerId ?? null, limit]);
    return rows.rows;
  }
}

/** For `store.repository`. */
export const customersRepository = (db: Db): CustomersRepository => new CustomersRepository(db);
