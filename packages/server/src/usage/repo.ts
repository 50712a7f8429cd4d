import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

export interface DailyCalls {
  appId: string;
  companyId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  calls: number;
  /** The part of `calls` answered 4xx, and 5xx. */
  calls4xx: number;
  calls5xx: number;
}

/** Adds calls to each (app, company, day) row, creating the rows that are missing: one statement. */
export async function addDailyCalls(db: Executor, rows: DailyCalls[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('api_usage_daily')
    .values(
      rows.map((r) => ({
        app_id: r.appId,
        company_id: r.companyId,
        day: r.day,
        calls: r.calls,
        calls_4xx: r.calls4xx,
        calls_5xx: r.calls5xx,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['app_id', 'company_id', 'day']).doUpdateSet({
        calls: sql<number>`api_usage_daily.calls + excluded.calls`,
        calls_4xx: sql<number>`api_usage_daily.calls_4xx + excluded.calls_4xx`,
        calls_5xx: sql<number>`api_usage_daily.calls_5xx + excluded.calls_5xx`,
      }),
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
    .select(['app_id', 'company_id', 'day', 'calls', 'calls_4xx', 'calls_5xx'])
    .where('app_id', '=', range.appId)
    .where('day', '>=', range.from)
    .where('day', '<=', range.to);
  if (range.companyId !== undefined) query = query.where('company_id', '=', range.companyId);
  const rows = await query.orderBy('day').orderBy('company_id').execute();
  return rows.map((r) => ({
    appId: r.app_id,
    companyId: r.company_id,
    day: r.day,
    calls: Number(r.calls),
    calls4xx: Number(r.calls_4xx),
    calls5xx: Number(r.calls_5xx),
  }));
}
