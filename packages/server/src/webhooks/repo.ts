import type { Executor } from '../db/database.js';
import type { WebhookAttemptRow, WebhookDeliveryRow } from '../db/schema.js';

/** Where the app's webhooks go (null: none), read when an event is recorded and when it is sent. */
export async function findWebhookUrl(db: Executor, appId: string): Promise<string | null> {
  const row = await db
    .selectFrom('apps')
    .select('webhook_url')
    .where('id', '=', appId)
    .where('status', '!=', 'deleted')
    .executeTakeFirst();
  return row?.webhook_url ?? null;
}

/** Gives the app a signing secret unless it has one (concurrent callers: the first one wins). */
export async function insertSecretUnlessExists(db: Executor, appId: string, secret: string, now: string) {
  await db
    .insertInto('webhook_secrets')
    .values({ app_id: appId, secret, previous_secret: null, previous_expires_at: null, created_at: now })
    .onConflict((oc) => oc.column('app_id').doNothing())
    .execute();
}

export async function findSecrets(db: Executor, appId: string) {
  return db.selectFrom('webhook_secrets').selectAll().where('app_id', '=', appId).executeTakeFirst();
}

/** Makes `secret` the current one; the one it replaces keeps signing until `previousExpiresAt`. */
export async function rotateSecret(
  db: Executor,
  appId: string,
  secret: string,
  previousExpiresAt: string,
): Promise<void> {
  await db
    .updateTable('webhook_secrets')
    .set((eb) => ({
      previous_secret: eb.ref('secret'),
      previous_expires_at: previousExpiresAt,
      secret,
    }))
    .where('app_id', '=', appId)
    .execute();
}

/**
 * The installation's next sequence number, in one statement: concurrent transactions on
 * PostgreSQL wait for each other's row lock, so no two events of an installation share a number.
 */
export async function nextSequence(db: Executor, installationId: string): Promise<number> {
  const row = await db
    .insertInto('webhook_sequences')
    .values({ installation_id: installationId, last_sequence: 1 })
    .onConflict((oc) =>
      oc
        .column('installation_id')
        .doUpdateSet((eb) => ({ last_sequence: eb('webhook_sequences.last_sequence', '+', 1) })),
    )
    .returning('last_sequence')
    .executeTakeFirstOrThrow();
  return Number(row.last_sequence);
}

export async function insertDelivery(db: Executor, row: WebhookDeliveryRow): Promise<void> {
  await db.insertInto('webhook_deliveries').values(row).execute();
}

/**
 * Leases up to `limit` due deliveries to `owner` until `until`, oldest first. One UPDATE whose
 * own WHERE requires an expired lease: on PostgreSQL a concurrent claimer waits for the row and
 * then re-checks that condition on the new row (READ COMMITTED), so it skips what was taken;
 * SQLite runs one writer at a time. Either way a delivery has one sender at a time.
 */
export async function claimDue(
  db: Executor,
  claim: { owner: string; now: string; until: string; limit: number },
): Promise<WebhookDeliveryRow[]> {
  const { owner, now, until, limit } = claim;
  return db
    .updateTable('webhook_deliveries')
    .set({ lease_owner: owner, lease_until: until })
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('webhook_deliveries as due')
        .select('due.id')
        .where('due.status', '=', 'pending')
        .where('due.next_attempt_at', '<=', now)
        .where((w) => w.or([w('due.lease_until', 'is', null), w('due.lease_until', '<', now)]))
        .orderBy('due.next_attempt_at')
        .orderBy('due.id')
        .limit(limit),
    )
    .returningAll()
    .execute();
}

/**
 * Records an attempt's outcome, if `owner` still holds the lease (a sender whose lease ran out
 * and was taken over records nothing); answers whether it did.
 */
export async function finishAttempt(
  db: Executor,
  id: string,
  owner: string,
  changes: Pick<
    WebhookDeliveryRow,
    'status' | 'attempts' | 'next_attempt_at' | 'last_attempt_at' | 'last_status_code' | 'last_error'
  > & { delivered_at?: string },
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ ...changes, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertAttempt(db: Executor, row: WebhookAttemptRow): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

/** The app's latest deliveries, newest first. */
export async function listDeliveries(db: Executor, appId: string, limit: number) {
  return db
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'type',
      'installation_id',
      'sequence',
      'status',
      'attempts',
      'next_attempt_at',
      'last_attempt_at',
      'last_status_code',
      'last_error',
      'created_at',
      'delivered_at',
    ])
    .where('app_id', '=', appId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export type DeliverySummary = Awaited<ReturnType<typeof listDeliveries>>[number];

/** The attempts of these deliveries, oldest first. */
export async function listAttempts(db: Executor, deliveryIds: string[]) {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('number')
    .execute();
}

/** Queues one more attempt of the app's delivery now; false when the app has no such delivery. */
export async function requeueDelivery(db: Executor, appId: string, id: string, now: string) {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now })
    .where('id', '=', id)
    .where('app_id', '=', appId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Drops deliveries (and their attempts) created before `before` that are no longer pending. */
export async function deleteFinishedBefore(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('created_at', '<', before)
    .where('status', '!=', 'pending')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
