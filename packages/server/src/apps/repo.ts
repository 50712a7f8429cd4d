import type { ExpressionBuilder, Updateable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AppRow, AppsTable, DB } from '../db/schema.js';

export async function insertApp(db: Executor, app: AppRow): Promise<void> {
  await db.insertInto('apps').values(app).execute();
}

/** When the app's live API key was last used (one indexed lookup per app). */
const apiKeyLastUsed = (eb: ExpressionBuilder<DB, 'apps'>) =>
  eb
    .selectFrom('tokens')
    .select('tokens.last_used_at')
    .whereRef('tokens.app_id', '=', 'apps.id')
    .where('tokens.kind', '=', 'api_key')
    .where('tokens.revoked_at', 'is', null)
    .limit(1)
    .as('api_key_last_used_at');

/** A live (not deleted) app of this company: the company scope is part of every lookup. */
export async function findCompanyApp(db: Executor, companyId: string, appId: string) {
  return db
    .selectFrom('apps')
    .selectAll('apps')
    .select(apiKeyLastUsed)
    .where('id', '=', appId)
    .where('company_id', '=', companyId)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
}

export async function listCompanyApps(db: Executor, companyId: string) {
  return db
    .selectFrom('apps')
    .selectAll('apps')
    .select(apiKeyLastUsed)
    .where('company_id', '=', companyId)
    .where('status', '!=', 'deleted')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Marks a live app of this company as changed now, taking its row lock; false when there is none. */
export async function touchCompanyApp(
  db: Executor,
  companyId: string,
  appId: string,
  now: string,
): Promise<boolean> {
  return updateCompanyApp(db, companyId, appId, { updated_at: now });
}

/** Updates a live app of this company; returns false when there is none. */
export async function updateCompanyApp(
  db: Executor,
  companyId: string,
  appId: string,
  changes: Updateable<AppsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('apps')
    .set(changes)
    .where('id', '=', appId)
    .where('company_id', '=', companyId)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The live app with this OAuth client id, with its developer company's name. */
export async function findAppByClientId(db: Executor, clientId: string) {
  return withDeveloper(db).where('apps.client_id', '=', clientId).executeTakeFirst();
}

/** The live app whose client secret has this hash (asked only when client authentication fails). */
export async function findAppBySecretHash(db: Executor, hash: string) {
  return withDeveloper(db).where('apps.client_secret_hash', '=', hash).executeTakeFirst();
}

/** A live app by id, whatever its company (for the authorization server), with its developer's name. */
export async function findLiveApp(db: Executor, id: string) {
  return withDeveloper(db).where('apps.id', '=', id).executeTakeFirst();
}

function withDeveloper(db: Executor) {
  return db
    .selectFrom('apps')
    .innerJoin('companies', 'companies.id', 'apps.company_id')
    .selectAll('apps')
    .select('companies.name as developer_name')
    .where('apps.status', '!=', 'deleted');
}
