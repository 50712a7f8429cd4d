import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type {
  AccountTokenKind,
  AccountTokenRow,
  CompaniesTable,
  Company,
  FlashRow,
  Membership,
  NewUser,
  Role,
  SessionsTable,
  User,
} from '../db/schema.js';

export type CompanyWithRole = Company & { role: Role };

export async function insertUser(db: Executor, user: NewUser): Promise<void> {
  await db.insertInto('users').values(user).execute();
}

/** Inserts the user unless the address is taken (in any letter case); true when it inserted. */
export async function insertUserIfAbsent(db: Executor, user: NewUser): Promise<boolean> {
  const result = await db
    .insertInto('users')
    .values(user)
    .onConflict((oc) => oc.column('email_normalized').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findUserByEmail(db: Executor, emailNormalized: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('email_normalized', '=', emailNormalized)
    .executeTakeFirst();
}

/** The platform admins, by email. */
export function listPlatformAdmins(db: Executor): Promise<Pick<User, 'id' | 'email' | 'name'>[]> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('platform_admin', '=', 1)
    .orderBy('email_normalized')
    .execute();
}

export async function findUserById(db: Executor, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Changes a user's name, password hash or verification time. */
export async function updateUser(
  db: Executor,
  id: string,
  changes: Partial<Pick<User, 'name' | 'password_hash' | 'email_verified_at' | 'platform_admin'>>,
): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

/** Every user, oldest first (the operator's list). */
export async function listUsers(db: Executor) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'email_verified_at', 'created_at'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Every company with its number of members, oldest first (the operator's list). */
export async function listCompanies(db: Executor) {
  return db
    .selectFrom('companies')
    .leftJoin('memberships', 'memberships.company_id', 'companies.id')
    .select([
      'companies.id',
      'companies.name',
      'companies.region',
      'companies.is_test',
      'companies.created_at',
    ])
    .select((eb) => eb.fn.count<string | number>('memberships.user_id').as('members'))
    .groupBy([
      'companies.id',
      'companies.name',
      'companies.region',
      'companies.is_test',
      'companies.created_at',
    ])
    .orderBy('companies.created_at')
    .orderBy('companies.id')
    .execute();
}

export async function insertAccountToken(db: Executor, row: AccountTokenRow): Promise<void> {
  await db.insertInto('account_tokens').values(row).execute();
}

/** Forgets a user's unspent links of one kind (a new one replaces them; a new password voids them). */
export async function deleteAccountTokens(
  db: Executor,
  userId: string,
  kind: AccountTokenKind,
): Promise<void> {
  await db.deleteFrom('account_tokens').where('user_id', '=', userId).where('kind', '=', kind).execute();
}

/** The live (unspent, unexpired) link with this selector and kind. */
export async function findLiveAccountToken(
  db: Executor,
  selector: string,
  kind: AccountTokenKind,
  now: string,
) {
  return db
    .selectFrom('account_tokens')
    .selectAll()
    .where('selector', '=', selector)
    .where('kind', '=', kind)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Spends a live link, once: of concurrent requests exactly one gets its user id back. */
export async function spendAccountToken(db: Executor, selector: string, now: string) {
  const row = await db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('selector', '=', selector)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst();
  return row?.user_id;
}

export async function deleteExpiredAccountTokens(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('account_tokens').where('expires_at', '<=', now).execute();
}

export async function insertCompany(db: Executor, company: CompaniesTable): Promise<void> {
  await db.insertInto('companies').values(company).execute();
}

export async function findCompany(db: Executor, id: string): Promise<Company | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Adds a member, or changes the role of an existing one. */
export async function upsertMembership(db: Executor, m: Membership): Promise<void> {
  await db
    .insertInto('memberships')
    .values(m)
    .onConflict((oc) => oc.columns(['company_id', 'user_id']).doUpdateSet({ role: m.role }))
    .execute();
}

export async function findMembership(
  db: Executor,
  companyId: string,
  userId: string,
): Promise<Membership | undefined> {
  return db
    .selectFrom('memberships')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** The companies a user belongs to, test companies last, then by name. */
export async function listCompaniesOfUser(db: Executor, userId: string): Promise<CompanyWithRole[]> {
  return db
    .selectFrom('memberships')
    .innerJoin('companies', 'companies.id', 'memberships.company_id')
    .selectAll('companies')
    .select('memberships.role')
    .where('memberships.user_id', '=', userId)
    .orderBy('companies.is_test')
    .orderBy('companies.name')
    .orderBy('companies.id')
    .execute();
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSession(db: Executor, session: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

const sessionViewer = prepared((db, [idHash, now]: [string, string]) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('memberships', 'memberships.user_id', 'users.id')
    .leftJoin('companies', 'companies.id', 'memberships.company_id')
    .select([
      'sessions.id_hash',
      'sessions.active_company_id',
      'users.id as user_id',
      'users.email',
      'users.name',
      'users.email_verified_at',
      'users.platform_admin',
      'companies.id as company_id',
      'companies.name as company_name',
      'companies.region',
      'companies.is_test',
      'companies.created_at as company_created_at',
      'memberships.role',
    ])
    .where('sessions.id_hash', '=', idHash)
    .where('sessions.expires_at', '>', now)
    .orderBy('companies.is_test')
    .orderBy('companies.name')
    .orderBy('companies.id'),
);

/**
 * A live session with its user and the user's companies (test companies last, then by name),
 * in one query: every page asks for it. Undefined when the session is unknown or expired.
 */
export async function findSessionViewer(db: Executor, idHash: string, now: string) {
  const { rows } = await sessionViewer(db, idHash, now);
  const [first] = rows;
  if (!first) return undefined;
  const companies: CompanyWithRole[] = [];
  for (const r of rows)
    if (r.company_id !== null && r.company_name !== null && r.role !== null)
      companies.push({
        id: r.company_id,
        name: r.company_name,
        region: r.region ?? '',
        is_test: r.is_test ?? 0,
        created_at: r.company_created_at ?? '',
        role: r.role,
      });
  return { session: first, companies };
}

export async function setSessionCompany(db: Executor, idHash: string, companyId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ active_company_id: companyId })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** A user's live sessions, newest first. */
export async function listSessionsOfUser(db: Executor, userId: string, now: string) {
  return db
    .selectFrom('sessions')
    .select(['id_hash', 'created_at', 'user_agent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Deletes a user's sessions: `only` that one, or all `except` that one (all when neither); how many. */
export async function deleteSessionsOfUser(
  db: Executor,
  userId: string,
  which: { only?: string; except?: string },
): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (which.only !== undefined) q = q.where('id_hash', '=', which.only);
  if (which.except !== undefined) q = q.where('id_hash', '<>', which.except);
  return Number((await q.executeTakeFirst()).numDeletedRows);
}

/** Sessions of a user that had `companyId` active fall back to no company (the viewer picks another). */
export async function forgetActiveCompany(db: Executor, userId: string, companyId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ active_company_id: null })
    .where('user_id', '=', userId)
    .where('active_company_id', '=', companyId)
    .execute();
}

export async function deleteExpiredSessions(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

/**
 * Counts one more failure for `key` inside the current window (a window older than `cutoff`
 * starts over) and returns the count, atomically, so parallel guesses cannot slip past the limit.
 */
export async function addSignInFailure(db: Executor, key: string, now: string, cutoff: string) {
  const expired = sql<boolean>`sign_in_failures.window_started_at < ${cutoff}`;
  const row = await db
    .insertInto('sign_in_failures')
    .values({ key, failures: 1, window_started_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when(expired)
          .then(1)
          .else(eb('sign_in_failures.failures', '+', 1))
          .end(),
        window_started_at: eb
          .case()
          .when(expired)
          .then(now)
          .else(eb.ref('sign_in_failures.window_started_at'))
          .end(),
      })),
    )
    .returning(['failures', 'window_started_at'])
    .executeTakeFirstOrThrow();
  return { failures: Number(row.failures), windowStartedAt: row.window_started_at };
}

/** The failures counted for `key` in a window that started after `cutoff`. */
export async function countFailures(db: Executor, key: string, cutoff: string) {
  return db
    .selectFrom('sign_in_failures')
    .select(['failures', 'window_started_at'])
    .where('key', '=', key)
    .where('window_started_at', '>=', cutoff)
    .executeTakeFirst();
}

export async function forgetSignInFailures(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('key', '=', key).execute();
}

export async function removeOneSignInFailure(db: Executor, key: string): Promise<void> {
  await db
    .updateTable('sign_in_failures')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', '=', key)
    .where('failures', '>', 0)
    .execute();
}

export async function deleteSignInFailuresBefore(db: Executor, cutoff: string): Promise<void> {
  await db.deleteFrom('sign_in_failures').where('window_started_at', '<', cutoff).execute();
}

export async function insertFlash(db: Executor, flash: FlashRow): Promise<void> {
  await db.insertInto('flashes').values(flash).execute();
}

/** Deletes and returns the live flash with this hash, for this session and path, so it is shown once. */
export async function takeFlash(
  db: Executor,
  flash: { idHash: string; sessionHash: string | null; path: string },
  now: string,
) {
  return db
    .deleteFrom('flashes')
    .where('id_hash', '=', flash.idHash)
    .where('session_hash', flash.sessionHash === null ? 'is' : '=', flash.sessionHash)
    .where('path', '=', flash.path)
    .where('expires_at', '>', now)
    .returning('payload')
    .executeTakeFirst();
}

export async function deleteExpiredFlashes(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('flashes').where('expires_at', '<=', now).execute();
}
