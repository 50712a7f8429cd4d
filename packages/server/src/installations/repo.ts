import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { prepared } from '../db/prepared.js';

/**
 * Records an authorization of (app, company) in one statement: inserts the installation, or
 * updates the one there (its row locked on PostgreSQL, so concurrent authorizations of one
 * installation run one after the other). `installed_at` restarts only when the installation had
 * been uninstalled. Answers the installation's id and `installed_at` as they now are.
 */
const upsert = prepared(
  (db, [id, appId, companyId, scopes, installedBy, now]: [string, string, string, string, string, string]) =>
    db
      .insertInto('installations')
      .values({
        id,
        app_id: appId,
        company_id: companyId,
        scopes,
        installed_by: installedBy,
        installed_at: now,
        updated_at: now,
        uninstalled_at: null,
      })
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
      .returning(['id', 'installed_at']),
);

export async function upsertInstallation(
  db: Executor,
  row: {
    id: string;
    app_id: string;
    company_id: string;
    scopes: string;
    installed_by: string;
    installed_at: string;
  },
) {
  const { rows } = await upsert(
    db,
    row.id,
    row.app_id,
    row.company_id,
    row.scopes,
    row.installed_by,
    row.installed_at,
  );
  const [result] = rows;
  if (!result) throw new Error('the installation upsert returned no row');
  return result;
}

const beforeInstall = prepared((db, [appId, companyId]: [string, string]) =>
  db
    .selectFrom('apps')
    .leftJoin('installations', (join) =>
      join
        .onRef('installations.app_id', '=', 'apps.id')
        .on('installations.company_id', '=', companyId)
        .on('installations.uninstalled_at', 'is', null),
    )
    .select(['apps.webhook_url', 'installations.scopes'])
    .where('apps.id', '=', appId),
);

/**
 * Before an authorization is recorded, in one prepared query: the scopes of the live
 * installation it replaces (if any) and the app's webhook URL (null: no events to record).
 */
export async function findBeforeInstall(db: Executor, appId: string, companyId: string) {
  const row = (await beforeInstall(db, appId, companyId)).rows[0];
  return {
    scopes: row?.scopes ? (JSON.parse(row.scopes) as string[]) : undefined,
    webhookUrl: row?.webhook_url ?? null,
  };
}

/** The live installations of an app, with their details: whom a change to the app concerns. */
export async function listAppInstallations(db: Executor, appId: string) {
  return installationDetails(db)
    .where('installations.app_id', '=', appId)
    .where('installations.uninstalled_at', 'is', null)
    .orderBy('installations.id')
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

const details = prepared((db, [id]: [string]) => installationDetails(db).where('installations.id', '=', id));

export async function findInstallationDetails(db: Executor, id: string) {
  return (await details(db, id)).rows[0];
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

/**
 * An app's installs and uninstalls per UTC day since `from`, counted from the audit log (the
 * installation row is reused after an uninstall, so only the log keeps every cycle).
 */
export async function dailyInstallEvents(db: Executor, appId: string, from: string) {
  const day = sql<string>`substr(audit_events.created_at, 1, 10)`;
  const rows = await db
    .selectFrom('audit_events')
    .innerJoin('installations', 'installations.id', 'audit_events.target_id')
    .select([day.as('day'), 'audit_events.action', (eb) => eb.fn.countAll<number>().as('n')])
    .where('installations.app_id', '=', appId)
    .where('audit_events.target_type', '=', 'installation')
    .where('audit_events.action', 'in', ['app.installed', 'app.uninstalled'])
    .where('audit_events.created_at', '>=', from)
    .groupBy([day, 'audit_events.action'])
    .execute();
  return rows.map((r) => ({ day: r.day, action: r.action, count: Number(r.n) }));
}
