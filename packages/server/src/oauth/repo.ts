import type { Executor } from '../db/database.js';
import { prepared, preparedInsert } from '../db/prepared.js';
import type { AuthorizationCodeRow, AuthorizationRequestRow } from '../db/schema.js';

// The install flow's statements, prepared once (db/prepared.ts): they run on every install.

const insertRequest = preparedInsert('authorization_requests', [
  'id',
  'session_hash',
  'app_id',
  'redirect_uri',
  'scopes',
  'state',
  'code_challenge',
  'created_at',
  'expires_at',
  'used_at',
]);

export async function insertAuthorizationRequest(db: Executor, row: AuthorizationRequestRow): Promise<void> {
  await insertRequest(db, row);
}

const pendingRequest = prepared((db, [id, sessionHash, now]: [string, string, string]) =>
  db
    .selectFrom('authorization_requests')
    .selectAll()
    .where('id', '=', id)
    .where('session_hash', '=', sessionHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now),
);

/** A pending request of this session that is neither used nor expired. */
export async function findPendingRequest(db: Executor, id: string, sessionHash: string, now: string) {
  return (await pendingRequest(db, id, sessionHash, now)).rows[0];
}

const useRequest = prepared((db, [id, now]: [string, string]) =>
  db
    .updateTable('authorization_requests')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null),
);

/** Marks a pending request used, once: false when another answer got there first. */
export async function usePendingRequest(db: Executor, id: string, now: string): Promise<boolean> {
  return Number((await useRequest(db, id, now)).numAffectedRows) === 1;
}

const insertCodeRow = preparedInsert('authorization_codes', [
  'hash',
  'app_id',
  'company_id',
  'user_id',
  'redirect_uri',
  'scopes',
  'code_challenge',
  'created_at',
  'expires_at',
  'consumed_at',
  'token_id',
  'replayed_at',
]);

export async function insertCode(db: Executor, row: AuthorizationCodeRow): Promise<void> {
  await insertCodeRow(db, row);
}

const consume = prepared((db, [hash, appId, tokenId, now]: [string, string, string, string]) =>
  db
    .updateTable('authorization_codes')
    .set({ consumed_at: now, token_id: tokenId })
    .where('hash', '=', hash)
    .where('app_id', '=', appId)
    .where('consumed_at', 'is', null)
    .returningAll(),
);

/**
 * Redeems a code of this client (another client cannot even spend it): one conditional update,
 * so of concurrent exchanges exactly one gets the row (RFC 6749 §4.1.2: a code is used once).
 * It records the id the issued token will have, so a later replay knows what to revoke; the
 * caller issues that token in the same transaction. Undefined when it was already consumed or
 * never existed.
 */
export async function consumeCode(db: Executor, hash: string, appId: string, tokenId: string, now: string) {
  return (await consume(db, hash, appId, tokenId, now)).rows[0];
}

/** A code as stored, consumed or not (to tell a replay from a code that never existed). */
export async function findCode(db: Executor, hash: string) {
  return db.selectFrom('authorization_codes').selectAll().where('hash', '=', hash).executeTakeFirst();
}

/** Marks a consumed code replayed; answers the token it issued, if it has issued one yet. */
export async function markReplayed(db: Executor, hash: string, appId: string, now: string) {
  return db
    .updateTable('authorization_codes')
    .set({ replayed_at: now })
    .where('hash', '=', hash)
    .where('app_id', '=', appId)
    .where('consumed_at', 'is not', null)
    .returning(['app_id', 'company_id', 'token_id', 'consumed_at'])
    .executeTakeFirst();
}

/** Drops expired pending requests and codes (a replayed code is kept until its expiry, to be recognised). */
export async function deleteExpired(db: Executor, cutoff: string): Promise<void> {
  await db.deleteFrom('authorization_requests').where('expires_at', '<=', cutoff).execute();
  await db.deleteFrom('authorization_codes').where('expires_at', '<=', cutoff).execute();
}

export async function insertResourceServer(
  db: Executor,
  row: { id: string; name: string; hash: string; created_at: string },
): Promise<void> {
  await db
    .insertInto('resource_servers')
    .values({ ...row, revoked_at: null })
    .execute();
}

export async function findLiveResourceServer(db: Executor, hash: string) {
  return db
    .selectFrom('resource_servers')
    .select(['id', 'name'])
    .where('hash', '=', hash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
