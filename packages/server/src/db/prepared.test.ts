import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Database, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { prepared, preparedInsert } from './prepared.js';

let db: Database;
before(async () => {
  db = openDatabase({ dialect: 'sqlite', path: ':memory:' });
  await migrateToLatest(db);
});
after(() => db.destroy());

const insertCompany = preparedInsert('companies', ['id', 'name', 'region', 'is_test', 'created_at']);
// A constant (`is_test = 0`) between two arguments, and the arguments used out of order.
const findCompany = prepared((db, [name, id]: [string, string]) =>
  db
    .selectFrom('companies')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('is_test', '=', 0)
    .where('name', '=', name),
);

it('runs one compiled query with each call’s values, constants kept, in and out of transactions', async () => {
  for (const [id, name, isTest] of [
    ['cmp_a', 'Acme', 0],
    ['cmp_b', 'Beta', 0],
    ['cmp_t', 'Acme', 1],
  ] as const)
    await insertCompany(db, { id, name, region: 'us', is_test: isTest, created_at: '2026-01-01' });
  assert.deepEqual((await findCompany(db, 'Acme', 'cmp_a')).rows, [{ id: 'cmp_a', name: 'Acme' }]);
  assert.deepEqual((await findCompany(db, 'Beta', 'cmp_b')).rows, [{ id: 'cmp_b', name: 'Beta' }]);
  assert.deepEqual((await findCompany(db, 'Acme', 'cmp_t')).rows, [], 'the constant still applies');
  await db.transaction().execute(async (trx) => {
    assert.deepEqual((await findCompany(trx, 'Beta', 'cmp_b')).rows, [{ id: 'cmp_b', name: 'Beta' }]);
  });
});
