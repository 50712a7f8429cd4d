import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { AppStatus, DB } from '../db/schema.js';

// The admin area's reads across every company, and the suspension's conditional updates. The
// caller (AdminService) has asked policy.authorizePlatform first.

/** `%text%` for LIKE, its wildcards escaped (with `\`), lower-cased: a case-insensitive "contains". */
function contains(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `lower(column) LIKE '%text%'` on both dialects (PostgreSQL's LIKE is case-sensitive). */
function lowerLike(column: string, text: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${contains(text)} escape '\\'`;
}

const count = (n: string | number | bigint | null | undefined) => Number(n ?? 0);

/** How many live installations the app has (uninstalled ones do not count). */
const liveInstalls = (eb: ExpressionBuilder<DB, 'apps'>) =>
  eb
    .selectFrom('installations')
    .select((e) => e.fn.countAll<string | number>().as('n'))
    .whereRef('installations.app_id', '=', 'apps.id')
    .where('installations.uninstalled_at', 'is', null)
    .as('installs');

/** Every app but deleted ones, newest first, with its developer company and live installs. */
export async function listApps(
  db: Executor,
  filter: { status?: AppStatus; q?: string },
  page: { offset: number; limit: number },
) {
  let query = db
    .selectFrom('apps')
    .innerJoin('companies', 'companies.id', 'apps.company_id')
    .select([
      'apps.id',
      'apps.name',
      'apps.status',
      'apps.client_id',
      'apps.created_at',
      'companies.id as company_id',
      'companies.name as company_name',
    ])
    .select(liveInstalls)
    .where('apps.status', '!=', 'deleted');
  if (filter.status) query = query.where('apps.status', '=', filter.status);
  const q = filter.q;
  if (q) query = query.where((eb) => eb.or([lowerLike('apps.name', q), eb('apps.client_id', '=', q)]));
  const rows = await query
    .orderBy('apps.created_at', 'desc')
    .orderBy('apps.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows.map((r) => ({ ...r, installs: count(r.installs) }));
}

/** One app (deleted ones too: the admin reads their history) with its developer company. */
export async function findApp(db: Executor, appId: string) {
  const row = await db
    .selectFrom('apps')
    .innerJoin('companies', 'companies.id', 'apps.company_id')
    .select([
      'apps.id',
      'apps.name',
      'apps.description',
      'apps.status',
      'apps.status_before_suspension',
      'apps.client_id',
      'apps.scopes',
      'apps.created_at',
      'apps.updated_at',
      'companies.id as company_id',
      'companies.name as company_name',
    ])
    .select(liveInstalls)
    .where('apps.id', '=', appId)
    .executeTakeFirst();
  return row && { ...row, installs: count(row.installs) };
}

/**
 * Suspends the app if its status is still `from` (compare-and-set: two admins cannot both
 * suspend, nor suspend over a concurrent change); false when it was not.
 */
export async function markSuspended(db: Executor, appId: string, from: AppStatus, now: string) {
  const result = await db
    .updateTable('apps')
    .set({ status: 'suspended', status_before_suspension: from, updated_at: now })
    .where('id', '=', appId)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives a suspended app back the status `to`; false when it was not suspended (any more). */
export async function markUnsuspended(db: Executor, appId: string, to: AppStatus, now: string) {
  const result = await db
    .updateTable('apps')
    .set({ status: to, status_before_suspension: null, updated_at: now })
    .where('id', '=', appId)
    .where('status', '=', 'suspended')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The live installations of an app, newest first, with the company each is in. */
export async function appInstallations(db: Executor, appId: string) {
  return db
    .selectFrom('installations')
    .innerJoin('companies', 'companies.id', 'installations.company_id')
    .select([
      'installations.id',
      'installations.scopes',
      'installations.installed_at',
      'companies.id as company_id',
      'companies.name as company_name',
    ])
    .where('installations.app_id', '=', appId)
    .where('installations.uninstalled_at', 'is', null)
    .orderBy('installations.installed_at', 'desc')
    .orderBy('installations.id')
    .execute();
}

const companyCounts = {
  members: (eb: ExpressionBuilder<DB, 'companies'>) =>
    eb
      .selectFrom('memberships')
      .select((e) => e.fn.countAll<string | number>().as('n'))
      .whereRef('memberships.company_id', '=', 'companies.id')
      .as('members'),
  apps: (eb: ExpressionBuilder<DB, 'companies'>) =>
    eb
      .selectFrom('apps')
      .select((e) => e.fn.countAll<string | number>().as('n'))
      .whereRef('apps.company_id', '=', 'companies.id')
      .where('apps.status', '!=', 'deleted')
      .as('apps'),
  installed: (eb: ExpressionBuilder<DB, 'companies'>) =>
    eb
      .selectFrom('installations')
      .select((e) => e.fn.countAll<string | number>().as('n'))
      .whereRef('installations.company_id', '=', 'companies.id')
      .where('installations.uninstalled_at', 'is', null)
      .as('installed'),
};

function companiesWithCounts(db: Executor) {
  return db
    .selectFrom('companies')
    .selectAll('companies')
    .select([companyCounts.members, companyCounts.apps, companyCounts.installed]);
}

type CompanyCounted = { members: unknown; apps: unknown; installed: unknown };
const counted = <T extends CompanyCounted>(r: T) => ({
  ...r,
  members: count(r.members as number),
  apps: count(r.apps as number),
  installed: count(r.installed as number),
});

/** Every company, newest first, with its members, apps and installed apps counted. */
export async function listCompanies(
  db: Executor,
  filter: { q?: string },
  page: { offset: number; limit: number },
) {
  let query = companiesWithCounts(db);
  const q = filter.q;
  if (q) query = query.where((eb) => eb.or([lowerLike('companies.name', q), eb('companies.id', '=', q)]));
  const rows = await query
    .orderBy('companies.created_at', 'desc')
    .orderBy('companies.id', 'desc')
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  return rows.map(counted);
}

export async function findCompany(db: Executor, companyId: string) {
  const row = await companiesWithCounts(db).where('companies.id', '=', companyId).executeTakeFirst();
  return row && counted(row);
}

/** A company's members, owners first. */
export async function companyMembers(db: Executor, companyId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.name', 'users.email', 'memberships.role', 'memberships.created_at'])
    .where('memberships.company_id', '=', companyId)
    .orderBy(sql`case memberships.role when 'owner' then 0 when 'admin' then 1 else 2 end`)
    .orderBy('users.email')
    .execute();
}

/** The apps a company built (not deleted), newest first, with their live installs. */
export async function companyApps(db: Executor, companyId: string) {
  const rows = await db
    .selectFrom('apps')
    .select(['apps.id', 'apps.name', 'apps.status', 'apps.created_at'])
    .select(liveInstalls)
    .where('apps.company_id', '=', companyId)
    .where('apps.status', '!=', 'deleted')
    .orderBy('apps.created_at', 'desc')
    .orderBy('apps.id')
    .execute();
  return rows.map((r) => ({ ...r, installs: count(r.installs) }));
}

/** The apps installed (live) in a company, newest first, with each app's developer. */
export async function companyInstalledApps(db: Executor, companyId: string) {
  return db
    .selectFrom('installations')
    .innerJoin('apps', 'apps.id', 'installations.app_id')
    .innerJoin('companies as developer', 'developer.id', 'apps.company_id')
    .select([
      'installations.id',
      'installations.scopes',
      'installations.installed_at',
      'apps.id as app_id',
      'apps.name as app_name',
      'apps.status as app_status',
      'developer.name as developer_name',
    ])
    .where('installations.company_id', '=', companyId)
    .where('installations.uninstalled_at', 'is', null)
    .orderBy('installations.installed_at', 'desc')
    .orderBy('installations.id')
    .execute();
}

/** The audit log's filters, as the service resolved them. */
export interface AuditFilter {
  companyId?: string;
  /** Part of a company's name (when not an id). */
  companyName?: string;
  appId?: string;
  actorUserId?: string;
  /** The actor's label, for actors without a user (`cli`). */
  actorLabel?: string;
  actionPrefix?: string;
  /** ISO times: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** Keyset: only events with a smaller (older) id. */
  before?: string;
}

/** Every company's audit events matching the filter, newest first, with the company's name. */
export async function listAuditEvents(db: Executor, f: AuditFilter, limit: number) {
  let query = db
    .selectFrom('audit_events')
    .leftJoin('companies', 'companies.id', 'audit_events.company_id')
    .selectAll('audit_events')
    .select('companies.name as company_name');
  if (f.companyId) query = query.where('audit_events.company_id', '=', f.companyId);
  const name = f.companyName;
  if (name) query = query.where(lowerLike('companies.name', name));
  const appId = f.appId;
  // An app's own events name it as their target; its installs' events name the installation.
  if (appId)
    query = query.where((eb) =>
      eb.or([
        eb('audit_events.target_id', '=', appId),
        eb(
          'audit_events.target_id',
          'in',
          eb.selectFrom('installations').select('installations.id').where('installations.app_id', '=', appId),
        ),
      ]),
    );
  if (f.actorUserId) query = query.where('audit_events.actor_user_id', '=', f.actorUserId);
  if (f.actorLabel)
    query = query
      .where('audit_events.actor', '=', f.actorLabel)
      .where('audit_events.actor_user_id', 'is', null);
  if (f.actionPrefix) {
    const pattern = `${f.actionPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<SqlBool>`audit_events.action like ${pattern} escape '\\'`);
  }
  if (f.from) query = query.where('audit_events.created_at', '>=', f.from);
  if (f.to) query = query.where('audit_events.created_at', '<', f.to);
  if (f.before) query = query.where('audit_events.id', '<', f.before);
  return query.orderBy('audit_events.id', 'desc').limit(limit).execute();
}
