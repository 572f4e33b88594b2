import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Queryable } from '../store/types.ts';

/** How long a code may be used. */
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;
/** Wrong codes typed before a code is void (every code that only one identity may use has its own count). */
export const LINK_CODE_MAX_ATTEMPTS = 5;

/** Link requests one customer (a web chat conversation is one until linked) may make in an hour; one a minute. */
export const LINK_REQUESTS_PER_HOUR = 5;
/** Codes Parley sends to other channels on behalf of one customer in a day. */
export const LINK_CODES_SENT_PER_CUSTOMER_PER_DAY = 3;
/** Wrong codes one customer may send in an hour; after that none they send is checked. */
export const LINK_GUESSES_PER_HOUR = 5;

/**
 * Codes that any identity on their channel may send (shown on WhatsApp, to be typed in the web chat, whose visitors
 * are anonymous until then) cannot be bound to one identity, so one guess tests every such open code: they are ten
 * characters of a 32-letter alphabet (50 bits) instead of six digits, shown as `K7PQ2-MXW9R`.
 */
const LONG_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const LONG_LENGTH = 10;
/** A long code as typed (case, spaces and a dash do not matter); it has a digit and a letter, so no word is one. */
export function normalizeLongCode(typed: string): string | undefined {
  const compact = typed.replace(/[\s-]/g, '').toUpperCase();
  if (compact.length !== LONG_LENGTH || ![...compact].every((c) => LONG_ALPHABET.includes(c))) return undefined;
  return /\d/.test(compact) && /[A-Z]/.test(compact) ? compact : undefined;
}
function longCode(): string {
  for (;;) {
    const code = Array.from({ length: LONG_LENGTH }, () => LONG_ALPHABET[randomInt(0, LONG_ALPHABET.length)]).join('');
    if (normalizeLongCode(code)) return code;
  }
}
const shortCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

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

/** What a code sent from a channel identity came to. */
export type TargetRedeem = { kind: 'linked'; code: LinkCode } | { kind: 'wrong' };

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

  /**
   * A new code; the customer's earlier open codes of the same kind for the same channel stop working. Six digits,
   * except a `target` code without an identity: any identity on its channel may send it, so it is long (returned as
   * shown, `K7PQ2-MXW9R`).
   */
  async issue(customerId: string, targetChannel: string, redeemOn: RedeemOn, targetUserId: string | null): Promise<string> {
    const code = redeemOn === 'target' && targetUserId === null ? longCode() : shortCode();
    await this.db.query('UPDATE link_codes SET used_at = now() WHERE customer_id = $1 AND target_channel = $2 AND redeem_on = $3 AND used_at IS NULL',
      [customerId, targetChannel, redeemOn]);
    await this.db.query(
      `INSERT INTO link_codes (id, customer_id, code_hash, target_channel, target_user_id, redeem_on, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond')`,
      [randomUUID(), customerId, hash(code, redeemOn === 'issuer' ? customerId : targetChannel), targetChannel, targetUserId, redeemOn, LINK_CODE_TTL_MS],
    );
    return code.length === LONG_LENGTH ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
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

  /** Whether this customer may ask for a code now: none in the last minute, fewer than LINK_REQUESTS_PER_HOUR this hour. */
  async requestAllowed(customerId: string): Promise<boolean> {
    const result = await this.db.query<{ minute: string; hour: string }>(
      `SELECT count(*) FILTER (WHERE created_at > now() - interval '1 minute') AS minute, count(*) AS hour
       FROM link_codes WHERE customer_id = $1 AND redeem_on = 'target' AND created_at > now() - interval '1 hour'`,
      [customerId],
    );
    const row = result.rows[0];
    return Number(row?.minute ?? 0) === 0 && Number(row?.hour ?? 0) < LINK_REQUESTS_PER_HOUR;
  }

  /**
   * Whether a code may be sent to this identity on behalf of this customer: none went to it in the last minute,
   * fewer than `perIdentityPerDay` today (whoever asked), and fewer than LINK_CODES_SENT_PER_CUSTOMER_PER_DAY asked
   * by this customer today.
   */
  async mayBeSent(customerId: string, targetChannel: string, targetUserId: string, perIdentityPerDay: number): Promise<boolean> {
    const result = await this.db.query<{ minute: string; day: string; by_customer: string }>(
      `SELECT count(*) FILTER (WHERE target_channel = $2 AND target_user_id = $3 AND created_at > now() - interval '1 minute') AS minute,
              count(*) FILTER (WHERE target_channel = $2 AND target_user_id = $3) AS day,
              count(*) FILTER (WHERE customer_id = $1) AS by_customer
       FROM link_codes WHERE redeem_on = 'issuer' AND created_at > now() - interval '1 day'
         AND (customer_id = $1 OR (target_channel = $2 AND target_user_id = $3))`,
      [customerId, targetChannel, targetUserId],
    );
    const row = result.rows[0];
    return Number(row?.minute ?? 0) === 0 && Number(row?.day ?? 0) < perIdentityPerDay && Number(row?.by_customer ?? 0) < LINK_CODES_SENT_PER_CUSTOMER_PER_DAY;
  }

  /** Whether this customer has used up their wrong guesses of shown codes for the hour. */
  async guessesLeft(customerId: string): Promise<boolean> {
    const result = await this.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM link_code_failures WHERE customer_id = $1 AND at > now() - interval '1 hour'`, [customerId]);
    return Number(result.rows[0]?.n ?? 0) < LINK_GUESSES_PER_HOUR;
  }

  /** Whether a six-digit code waits to be sent from this identity (else such a message is no code: an order number…). */
  async waitsFor(channel: string, userId: string): Promise<boolean> {
    const result = await this.db.query(
      `SELECT 1 FROM link_codes WHERE target_channel = $1 AND target_user_id = $2 AND redeem_on = 'target' AND used_at IS NULL AND expires_at > now() LIMIT 1`,
      [channel, userId]);
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
  redeemIssuer(pending: LinkCode, code: string): Promise<boolean> {
    return this.redeemOne(pending, code, pending.customerId);
  }

  /**
   * A code sent from this channel identity: a six-digit one is checked against the one open code bound to this
   * identity only (a wrong one counts an attempt on it), a long one against the open codes any identity on the channel
   * may send. Undefined when no code waits for this identity (the message is not taken as a code).
   */
  async redeemTarget(channel: string, userId: string, typed: string): Promise<TargetRedeem | undefined> {
    const long = normalizeLongCode(typed);
    if (long !== undefined) {
      const used = await this.db.query<Row>(
        `UPDATE link_codes SET used_at = now() WHERE id = (
           SELECT id FROM link_codes WHERE target_channel = $1 AND code_hash = $2 AND redeem_on = 'target' AND target_user_id IS NULL
             AND used_at IS NULL AND expires_at > now() ORDER BY created_at DESC LIMIT 1) AND used_at IS NULL RETURNING *`,
        [channel, hash(long, channel)],
      );
      const row = used.rows[0];
      return row ? { kind: 'linked', code: toCode(row) } : { kind: 'wrong' };
    }
    // Only this identity may send these, so a guess tests only codes someone asked to link to it.
    const used = await this.db.query<Row>(
      `UPDATE link_codes SET used_at = now() WHERE id = (
         SELECT id FROM link_codes WHERE target_channel = $1 AND target_user_id = $2 AND code_hash = $3 AND redeem_on = 'target'
           AND used_at IS NULL AND expires_at > now() AND attempts < $4 ORDER BY created_at DESC LIMIT 1) AND used_at IS NULL RETURNING *`,
      [channel, userId, hash(typed, channel), LINK_CODE_MAX_ATTEMPTS],
    );
    const row = used.rows[0];
    if (row) return { kind: 'linked', code: toCode(row) };
    const wrong = await this.db.query(
      `UPDATE link_codes SET attempts = attempts + 1, used_at = CASE WHEN attempts + 1 >= $3 THEN now() ELSE used_at END
       WHERE target_channel = $1 AND target_user_id = $2 AND redeem_on = 'target' AND used_at IS NULL AND expires_at > now()`,
      [channel, userId, LINK_CODE_MAX_ATTEMPTS],
    );
    return wrong.rowCount > 0 ? { kind: 'wrong' } : undefined;
  }

  /** Uses this one code if `typed` is it; a wrong code counts an attempt, and the last allowed one voids it. */
  private async redeemOne(code: LinkCode, typed: string, scope: string): Promise<boolean> {
    const used = await this.db.query(
      `UPDATE link_codes SET used_at = now() WHERE id = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > now() AND attempts < $3`,
      [code.id, hash(typed, scope), LINK_CODE_MAX_ATTEMPTS],
    );
    if (used.rowCount === 1) return true;
    await this.db.query(
      `UPDATE link_codes SET attempts = attempts + 1, used_at = CASE WHEN attempts + 1 >= $2 THEN now() ELSE used_at END WHERE id = $1`,
      [code.id, LINK_CODE_MAX_ATTEMPTS],
    );
    return false;
  }
}
