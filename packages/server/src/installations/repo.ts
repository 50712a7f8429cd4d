import type { Executor } from '../db/database.js';
import type { InstallationRow } from '../db/schema.js';

/** Inserts the installation unless (app, company) has one already; true when it inserted. */
export async function insertInstallationIfAbsent(db: Executor, row: InstallationRow): Promise<boolean> {
  const result = await db
    .insertInto('installations')
    .values(row)
    .onConflict((oc) => oc.columns(['app_id', 'company_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/**
 * Marks the installation of (app, company) changed, taking its row lock (PostgreSQL) so
 * concurrent authorizations of one installation run one after the other; answers it as it was.
 */
export async function lockInstallation(db: Executor, appId: string, companyId: string, now: string) {
  return db
    .updateTable('installations')
    .set({ updated_at: now })
    .where('app_id', '=', appId)
    .where('company_id', '=', companyId)
    .returning(['id', 'uninstalled_at'])
    .executeTakeFirstOrThrow();
}

export async function reviveInstallation(
  db: Executor,
  id: string,
  changes: { scopes: string; installed_by: string; updated_at: string; installed_at?: string },
): Promise<void> {
  await db
    .updateTable('installations')
    .set({ ...changes, uninstalled_at: null })
    .where('id', '=', id)
    .execute();
}

/** An installation with its app, company and installer, as every view of it needs them. */
export function installationDetails(db: Executor) {
  return db
    .selectFrom('installations')
    .innerJoin('apps', 'apps.id', 'installations.app_id')
    .innerJoin('companies', 'companies.id', 'installations.company_id')
    .leftJoin('users', 'users.id', 'installations.installed_by')
    .select([
      'installations.id',
      'installations.scopes',
      'installations.installed_at',
      'installations.updated_at',
      'installations.uninstalled_at',
      'apps.id as app_id',
      'apps.name as app_name',
      'apps.logo_url as app_logo_url',
      'companies.id as company_id',
      'companies.name as company_name',
      'companies.region as company_region',
      'users.id as user_id',
      'users.name as user_name',
      'users.email as user_email',
    ]);
}

export type InstallationDetails = Awaited<
  ReturnType<ReturnType<typeof installationDetails>['executeTakeFirstOrThrow']>
>;

export async function findInstallationDetails(db: Executor, id: string) {
  return installationDetails(db).where('installations.id', '=', id).executeTakeFirst();
}

/** A company's live installations, newest first. */
export async function listCompanyInstallations(db: Executor, companyId: string) {
  return installationDetails(db)
    .where('installations.company_id', '=', companyId)
    .where('installations.uninstalled_at', 'is', null)
    .where('apps.status', '!=', 'deleted')
    .orderBy('installations.updated_at', 'desc')
    .execute();
}

/** Marks a live installation of this company uninstalled; false when there is none. */
export async function markUninstalled(db: Executor, companyId: string, id: string, now: string) {
  const result = await db
    .updateTable('installations')
    .set({ uninstalled_at: now, updated_at: now })
    .where('id', '=', id)
    .where('company_id', '=', companyId)
    .where('uninstalled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The companies among `companyIds` where the app is installed (live). */
export async function companiesWithApp(db: Executor, appId: string, companyIds: string[]) {
  if (companyIds.length === 0) return [];
  const rows = await db
    .selectFrom('installations')
    .select('company_id')
    .where('app_id', '=', appId)
    .where('company_id', 'in', companyIds)
    .where('uninstalled_at', 'is', null)
    .execute();
  return rows.map((r) => r.company_id);
}
