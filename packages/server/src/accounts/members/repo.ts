import type { Executor } from '../../db/database.js';
import type { InvitationRow, Role } from '../../db/schema.js';

/** A company's members with their names and roles, owners first, then by name. */
export async function listMembers(db: Executor, companyId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.name', 'users.email', 'memberships.role', 'memberships.created_at'])
    .where('memberships.company_id', '=', companyId)
    .orderBy((eb) =>
      eb
        .case()
        .when('memberships.role', '=', 'owner')
        .then(0)
        .when('memberships.role', '=', 'admin')
        .then(1)
        .else(2)
        .end(),
    )
    .orderBy('users.name')
    .orderBy('users.id')
    .execute();
}

/**
 * Takes the company's row lock (PostgreSQL; SQLite writes one at a time anyway), so membership
 * changes of one company run one after the other and "the last owner" is counted truly.
 */
export async function lockCompany(db: Executor, companyId: string): Promise<boolean> {
  const row = await db
    .updateTable('companies')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', companyId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function countOwners(db: Executor, companyId: string): Promise<number> {
  const row = await db
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('company_id', '=', companyId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setRole(db: Executor, companyId: string, userId: string, role: Role): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMembership(db: Executor, companyId: string, userId: string): Promise<void> {
  await db
    .deleteFrom('memberships')
    .where('company_id', '=', companyId)
    .where('user_id', '=', userId)
    .execute();
}

export async function insertInvitation(db: Executor, row: InvitationRow): Promise<void> {
  await db.insertInto('invitations').values(row).execute();
}

/** A company's pending invitations (neither accepted nor revoked; expired ones too), newest first. */
export async function listPendingInvitations(db: Executor, companyId: string) {
  return db
    .selectFrom('invitations')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .select([
      'invitations.id',
      'invitations.email',
      'invitations.role',
      'invitations.created_at',
      'invitations.expires_at',
      'users.name as invited_by_name',
    ])
    .where('invitations.company_id', '=', companyId)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .orderBy('invitations.created_at', 'desc')
    .execute();
}

/** One pending invitation of a company, by id (a stranger's id finds nothing). */
export async function findPendingInvitation(db: Executor, companyId: string, id: string) {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('id', '=', id)
    .where('company_id', '=', companyId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** The company's pending invitation for an address, if any. */
export async function findPendingInvitationFor(db: Executor, companyId: string, emailNormalized: string) {
  return db
    .selectFrom('invitations')
    .select('id')
    .where('company_id', '=', companyId)
    .where('email_normalized', '=', emailNormalized)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** A live invitation (pending, unexpired) by id, with its company's and inviter's names, for its link's page. */
export async function findLiveInvitation(db: Executor, id: string, now: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('companies', 'companies.id', 'invitations.company_id')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .selectAll('invitations')
    .select(['companies.name as company_name', 'users.name as inviter_name'])
    .where('invitations.id', '=', id)
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', now)
    .executeTakeFirst();
}

/** Gives a pending invitation a new link, role and expiry (a resend: the old link stops working). */
export async function renewInvitation(
  db: Executor,
  id: string,
  changes: { verifier_hash: string; role: Role; expires_at: string; invited_by: string | null },
): Promise<void> {
  await db.updateTable('invitations').set(changes).where('id', '=', id).execute();
}

export async function revokeInvitation(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable('invitations').set({ revoked_at: now }).where('id', '=', id).execute();
}

/** Accepts a live invitation, once: of concurrent acceptances exactly one gets true. */
export async function spendInvitation(db: Executor, id: string, now: string): Promise<boolean> {
  const row = await db
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
