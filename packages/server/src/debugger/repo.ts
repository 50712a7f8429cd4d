import type { Executor } from '../db/database.js';
import type { InstallFailuresTable } from '../db/schema.js';

/** Stores one failure (its cause already safe to keep). */
export async function insertFailure(db: Executor, row: InstallFailuresTable): Promise<void> {
  await db.insertInto('install_failures').values(row).execute();
}

/** Keeps the app's `keep` newest failures and drops the rest. */
export async function trimFailures(db: Executor, appId: string, keep: number): Promise<void> {
  await db
    .deleteFrom('install_failures')
    .where('app_id', '=', appId)
    .where('id', 'not in', (eb) =>
      eb
        .selectFrom('install_failures')
        .select('id')
        .where('app_id', '=', appId)
        .orderBy('id', 'desc')
        .limit(keep),
    )
    .execute();
}

/** The app's failures since `since`, newest first. */
export async function listFailures(db: Executor, appId: string, since: string, limit: number) {
  return db
    .selectFrom('install_failures')
    .selectAll()
    .where('app_id', '=', appId)
    .where('created_at', '>=', since)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Drops every app's failures recorded before `cutoff`. */
export async function deleteFailuresBefore(db: Executor, cutoff: string): Promise<void> {
  await db.deleteFrom('install_failures').where('created_at', '<', cutoff).execute();
}
