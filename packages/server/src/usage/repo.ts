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

/**
 * Records when tokens were last used, never moving a time backwards (several processes flush
 * their own notes): ISO UTC times compare as strings on both dialects.
 */
export async function recordTokensUsed(db: Executor, used: [tokenId: string, at: string][]): Promise<void> {
  for (const [id, at] of used) {
    await db
      .updateTable('tokens')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
      .execute();
  }
}

/**
 * Records when client secrets were last used, found by their hash: the current secret's time,
 * or the previous one's during an overlap window. A hash that is neither any more (regenerated
 * since the note) matches no row, so a note never lands on the wrong secret.
 */
export async function recordSecretsUsed(
  db: Executor,
  used: [secretHash: string, at: string][],
): Promise<void> {
  for (const [hash, at] of used) {
    await db
      .updateTable('apps')
      .set({ client_secret_last_used_at: at })
      .where('client_secret_hash', '=', hash)
      .where((eb) =>
        eb.or([eb('client_secret_last_used_at', 'is', null), eb('client_secret_last_used_at', '<', at)]),
      )
      .execute();
    await db
      .updateTable('apps')
      .set({ previous_secret_last_used_at: at })
      .where('previous_client_secret_hash', '=', hash)
      .where((eb) =>
        eb.or([eb('previous_secret_last_used_at', 'is', null), eb('previous_secret_last_used_at', '<', at)]),
      )
      .execute();
  }
}
