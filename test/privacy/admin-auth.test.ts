/** The privacy admin API without any admin configured: it does not exist (404), and changes nothing. */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_DATA } from '../../src/customer-data.ts';
import { CustomerDirectory } from '../../src/customers/customer-directory.ts';
import { DataRequests } from '../../src/privacy/data-requests.ts';
import { registerPrivacyRoutes } from '../../src/privacy/admin-routes.ts';
import { PrivacyRepository } from '../../src/privacy/repository.ts';
import { AdminAuth } from '../../src/server/auth/admin-auth.ts';
import type { Db } from '../../src/store/index.ts';
import { openMigratedTestDb } from '../support/pglite-template.ts';

describe('privacy admin API with no admin configured', () => {
  let db: Db;
  const http = Fastify();
  let url: string;

  beforeAll(async () => {
    db = await openMigratedTestDb();
    await db.query("INSERT INTO customers (id, display_name) VALUES ('11111111-1111-4111-8111-111111111111', 'Eve')");
    await registerPrivacyRoutes(http, { auth: new AdminAuth({ token: undefined }), repository: new PrivacyRepository(db), requests: new DataRequests(db), erase: { customerData: CUSTOMER_DATA, redisPrefixes: [] },
      customerOf: (ref) => new CustomerDirectory(db).resolveRef(ref) });
    url = await http.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await http.close();
    await db?.close();
  });

  it.each([
    ['GET', '/admin/data-requests'],
    ['GET', '/admin/customers/11111111-1111-4111-8111-111111111111/export'],
    ['POST', '/admin/customers/11111111-1111-4111-8111-111111111111/erase'],
  ])('%s %s → 404', async (method, path) => {
    const response = await fetch(`${url}${path}`, { method, headers: { authorization: 'Bearer anything-at-all-1234' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'not found' } });
    expect((await db.query('SELECT display_name FROM customers')).rows).toEqual([{ display_name: 'Eve' }]);
  });
});
