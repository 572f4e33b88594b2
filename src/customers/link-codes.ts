import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Queryable } from '../store/types.ts';

/** How long a code may be used. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;
/** Wrong codes typed before the customer's pending code is void. */
export const LINK_CODE_MAX_ATTEMPTS = 5;

/** Codes one customer may have sent to other channels in an hour. */
export const LINK_CODES_PER_HOUR = 5;
/** Wrong codes one customer may send in an hour (codes shown on the other channel); after that none is checked. */
export const LINK_GUESSES_PER_HOUR = 5;

/**
 * - `issuer`: the code was sent to the other channel, and the customer types it where they asked (proves they read
 *   the other channel);
 * - `target`: the code was shown where they asked, and they send it from the other channel.
 */
export type RedeemOn = 'issuer' | 'target';

export interface LinkCode {
  id: string;
  customerId: string;
  targetChannel: string;
  /** Only this identity on the target channel may send it (`target` codes for a number the customer gave). */
  targetUserId: string | null;
  redeemOn: RedeemOn;
  attempts: number;
}

interface Row {
  id: string;
  customer_id: string;
  target_channel: string;
  target_user_id: string | null;
  redeem_on: RedeemOn;
  attempts: number;
}
const toCode = (r: Row): LinkCode => ({ id: r.id, customerId: r.customer_id, targetChannel: r.target_channel, targetUserId: r.target_user_id, redeemOn: r.redeem_on, attempts: r.attempts });

// Codes are short, so the hash is salted with the code's scope: a leaked table does not list codes in clear.
const hash = (code: string, scope: string) => createHash('sha256').update(`${scope}:${code}`).digest('hex');

/** One-time codes that prove a customer holds another channel (migration 0006). Kept hashed, ten minutes, used once. */
export class LinkCodes {
  constructor(private readonly db: Queryable) {}

  /** A new code; the customer's earlier open codes for the same channel stop working. */
  async issue(customerId: string, targetChannel: string, redeemOn: RedeemOn, targetUserId: string | null): Promise<string> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.db.query('UPDATE link_codes SET used_at = now() WHERE customer_id = $1 AND target_channel = $2 AND used_at IS NULL', [customerId, targetChannel]);
    await this.db.query(
      `INSERT INTO link_codes (id, customer_id, code_hash, target_channel, target_user_id, redeem_on, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond')`,
      [randomUUID(), customerId, hash(code, redeemOn === 'issuer' ? customerId : targetChannel), targetChannel, targetUserId, redeemOn, LINK_CODE_TTL_MS],
    );
    return code;
  }

  /** The customer's open `issuer` code, if any (expired ones included, so the customer hears it expired). */
  async pendingFor(customerId: string): Promise<(LinkCode & { expired: boolean }) | null> {
    const result = await this.db.query<Row & { expired: boolean }>(
      `SELECT *, expires_at < now() AS expired FROM link_codes WHERE customer_id = $1 AND redeem_on = 'issuer' AND used_at IS NULL
       AND created_at > now() - interval '1 day' ORDER BY created_at DESC LIMIT 1`,
      [customerId],
    );
    const row = result.rows[0];
    return row ? { ...toCode(row), expired: row.expired } : null;
  }

  /** Whether a code went to this identity in the last minute, or this customer asked for too many this hour. */
  async throttled(customerId: string, targetChannel: string, targetUserId: string): Promise<boolean> {
    const result = await this.db.query<{ to_target: string; by_customer: string }>(
      `SELECT count(*) FILTER (WHERE target_channel = $2 AND target_user_id = $3 AND created_at > now() - interval '1 minute') AS to_target,
              count(*) FILTER (WHERE customer_id = $1 AND redeem_on = 'issuer' AND created_at > now() - interval '1 hour') AS by_customer
       FROM link_codes WHERE created_at > now() - interval '1 hour' AND (customer_id = $1 OR (target_channel = $2 AND target_user_id = $3))`,
      [customerId, targetChannel, targetUserId],
    );
    const row = result.rows[0];
    return Number(row?.to_target ?? 0) > 0 || Number(row?.by_customer ?? 0) >= LINK_CODES_PER_HOUR;
  }

  /** Whether this customer has used up their wrong guesses of shown codes for the hour. */
  async guessesLeft(customerId: string): Promise<boolean> {
    const result = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM link_code_failures WHERE customer_id = $1 AND at > now() - interval '1 hour'`, [customerId]);
    return Number(result.rows[0]?.n ?? 0) < LINK_GUESSES_PER_HOUR;
  }

  /** Whether any shown code waits to be sent from this channel (so a six-digit message may be one). */
  async openOn(channel: string): Promise<boolean> {
    const result = await this.db.query(
      `SELECT 1 FROM link_codes WHERE target_channel = $1 AND redeem_on = 'target' AND used_at IS NULL AND expires_at > now() LIMIT 1`, [channel]);
    return result.rowCount > 0;
  }

  async recordFailure(customerId: string): Promise<void> {
    await this.db.query('INSERT INTO link_code_failures (customer_id) VALUES ($1)', [customerId]);
  }

  /** Voids a code (it expired, and the customer has been told). */
  async discard(id: string): Promise<void> {
    await this.db.query('UPDATE link_codes SET used_at = now() WHERE id = $1 AND used_at IS NULL', [id]);
  }

  /** Uses the customer's pending `issuer` code if `code` is it; a wrong code counts an attempt. */
  async redeemIssuer(pending: LinkCode, code: string): Promise<boolean> {
    const used = await this.db.query(
      `UPDATE link_codes SET used_at = now() WHERE id = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > now() AND attempts < $3`,
      [pending.id, hash(code, pending.customerId), LINK_CODE_MAX_ATTEMPTS],
    );
    if (used.rowCount === 1) return true;
    await this.db.query(
      `UPDATE link_codes SET attempts = attempts + 1, used_at = CASE WHEN attempts + 1 >= $2 THEN now() ELSE used_at END WHERE id = $1`,
      [pending.id, LINK_CODE_MAX_ATTEMPTS],
    );
    return false;
  }

  /** Uses a `target` code sent from this channel identity; null when no open code matches. */
  async redeemTarget(channel: string, userId: string, code: string): Promise<LinkCode | null> {
    const result = await this.db.query<Row>(
      `UPDATE link_codes SET used_at = now() WHERE id = (
         SELECT id FROM link_codes WHERE target_channel = $1 AND code_hash = $2 AND redeem_on = 'target' AND used_at IS NULL
           AND expires_at > now() AND (target_user_id IS NULL OR target_user_id = $3)
         ORDER BY created_at DESC LIMIT 1) AND used_at IS NULL RETURNING *`,
      [channel, hash(code, channel), userId],
    );
    const row = result.rows[0];
    return row ? toCode(row) : null;
  }
}
