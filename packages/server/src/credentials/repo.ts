import type { Executor } from '../db/database.js';
import { prepared, preparedInsert } from '../db/prepared.js';
import type { TokenKind, TokenRow } from '../db/schema.js';

// Prepared (db/prepared.ts): every install issues a token and revokes the one before.
const insertTokenRow = preparedInsert('tokens', [
  'id',
  'kind',
  'hash',
  'company_id',
  'app_id',
  'user_id',
  'installation_id',
  'name',
  'scopes',
  'created_at',
  'revoked_at',
]);

export async function insertToken(db: Executor, token: TokenRow): Promise<void> {
  await insertTokenRow(db, token);
}

/** Revokes every live token of an app, of the given kinds (all kinds when omitted). */
export async function revokeAppTokens(
  db: Executor,
  appId: string,
  now: string,
  kinds?: TokenKind[],
): Promise<number> {
  let q = db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('app_id', '=', appId)
    .where('revoked_at', 'is', null);
  if (kinds) q = q.where('kind', 'in', kinds);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The live credential with this hash, with its app and company as the bearer check needs them. */
export async function findLiveCredential(db: Executor, hash: string) {
  return db
    .selectFrom('tokens')
    .innerJoin('companies', 'companies.id', 'tokens.company_id')
    .leftJoin('apps', 'apps.id', 'tokens.app_id')
    .leftJoin('users', 'users.id', 'tokens.user_id')
    .select([
      'users.email as user_email',
      'tokens.id',
      'tokens.kind',
      'tokens.scopes',
      'tokens.user_id',
      'tokens.installation_id',
      'tokens.created_at',
      'companies.id as company_id',
      'companies.name as company_name',
      'apps.id as app_id',
      'apps.name as app_name',
      'apps.status as app_status',
      'apps.scopes as app_scopes',
      'apps.client_id as client_id',
    ])
    .where('tokens.hash', '=', hash)
    .where('tokens.revoked_at', 'is', null)
    .executeTakeFirst();
}

/** A user's live personal tokens for one company, newest first (never their hashes). */
export async function listPersonalTokens(db: Executor, userId: string, companyId: string) {
  return db
    .selectFrom('tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('kind', '=', 'personal_token')
    .where('user_id', '=', userId)
    .where('company_id', '=', companyId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revokes one of a user's personal tokens: its company, or undefined when not theirs or already revoked. */
export async function revokePersonalToken(db: Executor, userId: string, tokenId: string, now: string) {
  const row = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('kind', '=', 'personal_token')
    .where('revoked_at', 'is', null)
    .returning('company_id')
    .executeTakeFirst();
  return row?.company_id;
}

/** Revokes a user's live developer tokens for one company (they left it); how many. */
export async function revokeMemberTokens(db: Executor, userId: string, companyId: string, now: string) {
  const result = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('kind', '=', 'personal_token')
    .where('user_id', '=', userId)
    .where('company_id', '=', companyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

const revokeLive = prepared((db, [installationId, now]: [string, string]) =>
  db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('installation_id', '=', installationId)
    .where('revoked_at', 'is', null),
);

/** Revokes every live token of an installation. */
export async function revokeInstallationTokens(
  db: Executor,
  installationId: string,
  now: string,
): Promise<number> {
  return Number((await revokeLive(db, installationId, now)).numAffectedRows ?? 0);
}

/** Revokes one live token; false when it was already revoked. */
export async function revokeToken(db: Executor, tokenId: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
