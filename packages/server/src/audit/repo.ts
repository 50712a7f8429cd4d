import type { Executor } from '../db/database.js';
import { preparedInsert } from '../db/prepared.js';
import type { AuditEvent } from '../db/schema.js';

// Prepared (db/prepared.ts): every install, consent answer and uninstall records one.
const insertEvent = preparedInsert('audit_events', [
  'id',
  'company_id',
  'actor',
  'actor_user_id',
  'action',
  'target_type',
  'target_id',
  'details',
  'created_at',
]);

export async function insertAuditEvent(db: Executor, event: AuditEvent): Promise<void> {
  await insertEvent(db, event);
}

/** The events about one target of one company, newest first. */
export async function listTargetEvents(
  db: Executor,
  companyId: string,
  targetId: string,
  limit = 100,
): Promise<AuditEvent[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('target_id', '=', targetId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The latest event of one action about one target of one company. */
export async function findLatestTargetEvent(
  db: Executor,
  companyId: string,
  targetId: string,
  action: string,
): Promise<AuditEvent | undefined> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('target_id', '=', targetId)
    .where('action', '=', action)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** A company's events whose action starts with one of `prefixes`, newest first. */
export async function listCompanyEvents(
  db: Executor,
  companyId: string,
  prefixes: string[],
  limit: number,
): Promise<AuditEvent[]> {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('company_id', '=', companyId)
    .where((eb) => eb.or(prefixes.map((p) => eb('action', 'like', `${p}%`))))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
