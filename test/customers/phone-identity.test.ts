import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelUserId, normalizePhone, phoneOfIdentity } from '../../src/core/phone-identity.ts';
import { openStore } from '../../src/store/open-store.ts';
import type { SqlStore } from '../../src/store/sql-store.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { sqlOf } from '../support/sql.ts';

describe('phone numbers in E.164', () => {
  it.each([
    ['+49 151 23456789', '+4915123456789'],
    ['0049 151 23456789', '+4915123456789'],
    ['0049151-2345-6789', '+4915123456789'],
    ['4915123456789', '+4915123456789'],
    ['+49 (151) 234 567 89', '+4915123456789'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['0151 23456789', undefined],
    ['call me maybe', undefined],
    ['+49', undefined],
  ])('%s → %s', (input, expected) => {
    expect(normalizePhone(input)).toBe(expected);
  });

  it('reads national numbers with a default country', () => {
    expect(normalizePhone('0151 23456789', 'DE')).toBe('+4915123456789');
  });

  it.each([
    ['whatsapp', '4915123456789', '+4915123456789'],
    ['whatsapp-web', '4915123456789@c.us', '+4915123456789'],
    ['whatsapp-web', '170000000000001@lid', undefined],
    ['web', '4915123456789', undefined],
    ['botframework', '29:1abc', undefined],
  ])('the identity %s/%s is the number %s', (channel, userId, expected) => {
    expect(phoneOfIdentity(channel, userId)).toBe(expected);
  });

  it.each([
    ['whatsapp', '+49 151 23456789', '4915123456789'],
    ['whatsapp', '0049151 23456789', '4915123456789'],
    ['whatsapp-web', '+49 151 23456789', '4915123456789@c.us'],
    ['whatsapp-web', '4915123456789@c.us', '4915123456789@c.us'],
    ['whatsapp-web', '170000000000001@lid', '170000000000001@lid'],
    ['botframework', '29:1abc', '29:1abc'],
  ])('an identity given as %s/%s is written %s', (channel, identity, expected) => {
    expect(channelUserId(channel, identity)).toBe(expected);
  });
});

describe('resolving customers by phone number (PostgreSQL)', () => {
  let store: SqlStore;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-customers-'));
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openStore({ databaseUrl: database.url, dataDir });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the Cloud API wa_id and whatsapp-web.js @c.us id of one number are one customer; an @lid id is its own', async () => {
    const cloud = await store.resolveCustomer('whatsapp', '4915123456789');
    const web = await store.resolveCustomer('whatsapp-web', '4915123456789@c.us');
    const lid = await store.resolveCustomer('whatsapp-web', '170000000000001@lid');
    const other = await store.resolveCustomer('whatsapp', '4915199999999');
    expect(web.id).toBe(cloud.id);
    expect(lid.id).not.toBe(cloud.id);
    expect(other.id).not.toBe(cloud.id);
    const identities = await sqlOf(store).query<{ channel: string; phone: string | null }>('SELECT channel, phone FROM identities WHERE customer_id = $1 ORDER BY channel', [cloud.id]);
    expect(identities.rows).toEqual([{ channel: 'whatsapp', phone: '+4915123456789' }, { channel: 'whatsapp-web', phone: '+4915123456789' }]);
  });

  it('first sightings of one number on two channels at once still make one customer', async () => {
    const [a, b] = await Promise.all([store.resolveCustomer('whatsapp', '4917612345678'), store.resolveCustomer('whatsapp-web', '4917612345678@c.us')]);
    expect(a.id).toBe(b.id);
  });
});
