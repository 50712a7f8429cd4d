import type { Executor } from '../db/database.js';
import type { InstallationRow } from '../db/schema.js';

/**
 * Records an authorization of (app, company) in one statement: inserts the installation, or
 * updates the one there (its row locked on PostgreSQL, so concurrent authorizations of one
 * installation run one after the other). `installed_at` restarts only when the installation had
 * been uninstalled. Answers the installation's id and `installed_at` as they now are.
 */
export async function upsertInstallation(db: Executor, row: InstallationRow) {
  return db
    .insertInto('installations')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['app_id', 'company_id']).doUpdateSet((eb) => ({
        scopes: eb.ref('excluded.scopes'),
        installed_by: eb.ref('excluded.installed_by'),
        updated_at: eb.ref('excluded.updated_at'),
        installed_at: eb
          .case()
          .when('installations.uninstalled_at', 'is', null)
          .then(eb.ref('installations.installed_at'))
          .else(eb.ref('excluded.installed_at'))
          .end(),
        uninstalled_at: null,
      })),
    )
    .returning(['id', 'installed_at'])
    .executeTakeFirstOrThrow();
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
