import type { Updateable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppReviewRow, AppReviewsTable } from '../../db/marketplace-schema.js';
import type { AppsTable } from '../../db/schema.js';

export async function insertReview(db: Executor, review: AppReviewRow): Promise<void> {
  await db.insertInto('app_reviews').values(review).execute();
}

/** The app's pending review, if any (at most one). */
export async function findPending(db: Executor, appId: string) {
  return db
    .selectFrom('app_reviews')
    .selectAll()
    .where('app_id', '=', appId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

/** The app's reviews, newest first. */
export async function listForApp(db: Executor, appId: string, limit = 50) {
  return db
    .selectFrom('app_reviews')
    .selectAll()
    .where('app_id', '=', appId)
    .orderBy('submitted_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** A review with its app's name, status and live scopes, and its developer company's name. */
function withApp(db: Executor) {
  return db
    .selectFrom('app_reviews')
    .innerJoin('apps', 'apps.id', 'app_reviews.app_id')
    .innerJoin('companies', 'companies.id', 'app_reviews.company_id')
    .selectAll('app_reviews')
    .select([
      'apps.name as app_name',
      'apps.status as app_status',
      'apps.scopes as app_scopes',
      'companies.name as company_name',
    ]);
}

export type ReviewWithApp = Awaited<ReturnType<typeof findReview>> & {};

export async function findReview(db: Executor, id: string) {
  return withApp(db).where('app_reviews.id', '=', id).executeTakeFirst();
}

/** Pending reviews, oldest first: the queue. */
export async function listPending(db: Executor, limit = 200) {
  return withApp(db)
    .where('app_reviews.status', '=', 'pending')
    .orderBy('app_reviews.submitted_at')
    .orderBy('app_reviews.id')
    .limit(limit)
    .execute();
}

/** Reviews decided lately (approved or rejected), newest decision first. */
export async function listDecided(db: Executor, limit = 20) {
  return withApp(db)
    .where('app_reviews.status', 'in', ['approved', 'rejected'])
    .orderBy('app_reviews.decided_at', 'desc')
    .orderBy('app_reviews.id', 'desc')
    .limit(limit)
    .execute();
}

/** Decides a pending review; false when it was no longer pending (decided by someone else). */
export async function decide(
  db: Executor,
  id: string,
  changes: Updateable<AppReviewsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable('app_reviews')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Locks a live app's row by id, whatever its company (an admin's decision); its status, or undefined. */
export async function lockApp(db: Executor, appId: string, now: string) {
  const result = await db
    .updateTable('apps')
    .set({ updated_at: now })
    .where('id', '=', appId)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
}

export async function setAppState(
  db: Executor,
  appId: string,
  changes: Updateable<AppsTable>,
): Promise<void> {
  await db.updateTable('apps').set(changes).where('id', '=', appId).execute();
}
