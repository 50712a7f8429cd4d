import type { Executor } from '../db/database.js';
import type { AuditEvent } from '../db/schema.js';
import { newSortableId } from '../lib/ids.js';
import { nowIso } from '../lib/time.js';
import * as repo from './repo.js';

/** Who acts: a signed-in user (portal or personal token) or the operator at the command line. */
export type Actor = { kind: 'user'; userId: string; label: string } | { kind: 'operator'; label: string };

export const CLI_ACTOR: Actor = { kind: 'operator', label: 'cli' };

/** Who an audit event names: an actor, or a visitor who is not signed in (a password reset request). */
export type AuditActor = Actor | { kind: 'visitor'; label: string };

/** Records one audit event inside the caller's transaction, so it lands with the change it describes. */
export async function recordAudit(
  db: Executor,
  actor: AuditActor,
  event: {
    /** Null for an event about a person alone (sign-up, password reset). */
    companyId: string | null;
    action: string;
    targetType: string;
    targetId: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await repo.insertAuditEvent(db, {
    id: newSortableId('aud'),
    company_id: event.companyId,
    actor: actor.label,
    actor_user_id: actor.kind === 'user' ? actor.userId : null,
    action: event.action,
    target_type: event.targetType,
    target_id: event.targetId,
    details: JSON.stringify(event.details ?? {}),
    created_at: nowIso(),
  });
}

/** The events about one target of one company, newest first (the caller has authorized). */
export function auditTrail(db: Executor, companyId: string, targetId: string): Promise<AuditEvent[]> {
  return repo.listTargetEvents(db, companyId, targetId);
}

/** The latest event of this action about one target of one company (the caller has authorized). */
export function latestAuditEvent(
  db: Executor,
  companyId: string,
  targetId: string,
  action: string,
): Promise<AuditEvent | undefined> {
  return repo.findLatestTargetEvent(db, companyId, targetId, action);
}

/** A company's events whose action starts with one of `prefixes`, newest first (the caller has authorized). */
export function companyTrail(
  db: Executor,
  companyId: string,
  prefixes: string[],
  limit = 50,
): Promise<AuditEvent[]> {
  return repo.listCompanyEvents(db, companyId, prefixes, limit);
}

/** An audit event as the developer API and the CLI show it. */
export function auditEventView(e: AuditEvent) {
  return {
    action: e.action,
    actor: e.actor,
    created_at: e.created_at,
    details: JSON.parse(e.details) as Record<string, unknown>,
  };
}
