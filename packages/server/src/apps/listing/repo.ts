import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { AppListingsTable, ListingImagesTable } from '../../db/marketplace-schema.js';

export async function insertImage(db: Executor, image: Insertable<ListingImagesTable>): Promise<void> {
  await db.insertInto('listing_images').values(image).execute();
}

/** An image's bytes and type, for its public URL. */
export async function findImage(db: Executor, id: string) {
  return db
    .selectFrom('listing_images')
    .select(['id', 'content_type', 'bytes', 'byte_size'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The facts of these images of one app (never another app's), without their bytes. */
export async function imageFacts(db: Executor, appId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('listing_images')
    .select(['id', 'content_type', 'width', 'height', 'byte_size'])
    .where('app_id', '=', appId)
    .where('id', 'in', ids)
    .execute();
}

/** Deletes the app's images outside `keep`; answers how many went. */
export async function deleteImagesExcept(db: Executor, appId: string, keep: string[]): Promise<number> {
  let query = db.deleteFrom('listing_images').where('app_id', '=', appId);
  if (keep.length > 0) query = query.where('id', 'not in', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The app's draft (JSON text, or null). */
export async function findDraft(db: Executor, appId: string): Promise<string | null> {
  const row = await db.selectFrom('apps').select('listing_draft').where('id', '=', appId).executeTakeFirst();
  return row?.listing_draft ?? null;
}

export async function saveDraft(db: Executor, appId: string, draft: string, now: string): Promise<void> {
  await db
    .updateTable('apps')
    .set({ listing_draft: draft, updated_at: now })
    .where('id', '=', appId)
    .execute();
}

/** The live listing of an app, if it was ever published. */
export async function findLiveListing(db: Executor, appId: string) {
  return db.selectFrom('app_listings').selectAll().where('app_id', '=', appId).executeTakeFirst();
}

/** Writes the live listing; a listing already live keeps its first published_at. */
export async function upsertLiveListing(db: Executor, listing: AppListingsTable): Promise<void> {
  const { app_id: _id, published_at: _first, ...changes } = listing;
  await db
    .insertInto('app_listings')
    .values(listing)
    .onConflict((oc) => oc.column('app_id').doUpdateSet(changes))
    .execute();
}

/** The listing snapshots of every review of the app (JSON text). */
export async function reviewListings(db: Executor, appId: string): Promise<string[]> {
  const rows = await db.selectFrom('app_reviews').select('listing').where('app_id', '=', appId).execute();
  return rows.map((r) => r.listing);
}
