import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

export interface DailyCalls {
  appId: string;
  companyId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  calls: number;
}

/** Adds calls to each (app, company, day) row, creating the rows that are missing: one statement. */
export async function addDailyCalls(db: Executor, rows: DailyCalls[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('api_usage_daily')
    .values(rows.map((r) => ({ app_id: r.appId, company_id: r.companyId, day: r.day, calls: r.calls })))
    .onConflict((oc) =>
      oc
        .columns(['app_id', 'company_id', 'day'])
        .doUpdateSet({ calls: sql<number>`api_usage_daily.calls + excluded.calls` }),
    )
    .execute();
}

/** An app's calls per company and day, `from` to `to` inclusive (UTC days), oldest first. */
export async function listDailyCalls(
  db: Executor,
  range: { appId: string; companyId?: string; from: string; to: string },
): Promise<DailyCalls[]> {
  let query = db
    .selectFrom('api_usage_daily')
    .select(['app_id', 'company_id', 'day', 'calls'])
    .where('app_id', '=', range.appId)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to);
  if (range.companyId !== undefined) query = query.where('company_id', '=', range.companyId);
  const rows = await query.orderBy('day').orderBy('company_id').execute();
  return rows.map((r) => ({ appId: r.app_id, companyId: r.company_id, day: r.day, calls: Number(r.calls) }));
}
