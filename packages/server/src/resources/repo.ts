import type { Executor } from '../db/database.js';
import type {
  EventKind,
  EventsTable,
  IdempotencyKeysTable,
  PrivacyRequestsTable,
  SubscribersTable,
  SubscriptionChannel,
  SubscriptionsTable,
  SubscriptionType,
} from '../db/schema.js';

// Every query names the company: a credential reaches its own company's rows only.

export type SubscriberRow = Pick<SubscribersTable, 'id' | 'phone' | 'email' | 'external_id'>;

const SUBSCRIBER_COLUMNS = [
  'subscribers.id as subscriber_id',
  'subscribers.phone',
  'subscribers.email',
  'subscribers.external_id',
] as const;

/** The company's subscribers known by any of these identifiers. */
export async function findSubscribers(
  db: Executor,
  companyId: string,
  ref: { phone?: string; email?: string; external_id?: string },
): Promise<SubscriberRow[]> {
  return db
    .selectFrom('subscribers')
    .select(['id', 'phone', 'email', 'external_id'])
    .where('company_id', '=', companyId)
    .where((eb) =>
      eb.or([
        ...(ref.phone === undefined ? [] : [eb('phone', '=', ref.phone)]),
        ...(ref.email === undefined ? [] : [eb('email', '=', ref.email)]),
        ...(ref.external_id === undefined ? [] : [eb('external_id', '=', ref.external_id)]),
      ]),
    )
    .execute();
}

/** Inserts a subscriber unless one of its identifiers is taken (a concurrent insert won). */
export async function insertSubscriberIfAbsent(db: Executor, row: SubscribersTable): Promise<void> {
  await db
    .insertInto('subscribers')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function insertEvent(db: Executor, row: EventsTable): Promise<void> {
  await db.insertInto('events').values(row).execute();
}

/** A page of the company's events of one kind, newest first, after the cursor's id. */
export async function listEvents(
  db: Executor,
  companyId: string,
  filter: { kind: EventKind; type?: string; before?: string; limit: number },
) {
  let q = db
    .selectFrom('events')
    .innerJoin('subscribers', 'subscribers.id', 'events.subscriber_id')
    .select([
      'events.id',
      'events.kind',
      'events.type',
      'events.properties',
      'events.occurred_at',
      'events.created_at',
      ...SUBSCRIBER_COLUMNS,
    ])
    .where('events.company_id', '=', companyId)
    .where('events.kind', '=', filter.kind);
  if (filter.type !== undefined) q = q.where('events.type', '=', filter.type);
  if (filter.before !== undefined) q = q.where('events.id', '<', filter.before);
  return q.orderBy('events.id', 'desc').limit(filter.limit).execute();
}

/** Subscribes (again): one row per subscriber, channel and type. */
export async function upsertSubscription(db: Executor, row: SubscriptionsTable): Promise<void> {
  await db
    .insertInto('subscriptions')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['subscriber_id', 'channel', 'type'])
        .doUpdateSet({ status: row.status, updated_at: row.updated_at }),
    )
    .execute();
}

function subscriptionsOf(db: Executor, companyId: string) {
  return db
    .selectFrom('subscriptions')
    .innerJoin('subscribers', 'subscribers.id', 'subscriptions.subscriber_id')
    .select([
      'subscriptions.id',
      'subscriptions.channel',
      'subscriptions.type',
      'subscriptions.status',
      'subscriptions.created_at',
      'subscriptions.updated_at',
      ...SUBSCRIBER_COLUMNS,
    ])
    .where('subscriptions.company_id', '=', companyId);
}

export type SubscriptionDetails = Awaited<
  ReturnType<ReturnType<typeof subscriptionsOf>['executeTakeFirstOrThrow']>
>;

/** A page of the company's subscriptions, newest first, optionally of one phone or email. */
export async function listSubscriptions(
  db: Executor,
  companyId: string,
  filter: { phone?: string; email?: string; before?: string; limit: number },
) {
  let q = subscriptionsOf(db, companyId);
  if (filter.phone !== undefined) q = q.where('subscribers.phone', '=', filter.phone);
  if (filter.email !== undefined) q = q.where('subscribers.email', '=', filter.email);
  if (filter.before !== undefined) q = q.where('subscriptions.id', '<', filter.before);
  return q.orderBy('subscriptions.id', 'desc').limit(filter.limit).execute();
}

/** The subscriber's subscriptions (of one channel and type when given). */
export async function subscriberSubscriptions(
  db: Executor,
  companyId: string,
  subscriberId: string,
  only: { channel?: SubscriptionChannel; type?: SubscriptionType } = {},
) {
  let q = subscriptionsOf(db, companyId).where('subscriptions.subscriber_id', '=', subscriberId);
  if (only.channel !== undefined) q = q.where('subscriptions.channel', '=', only.channel);
  if (only.type !== undefined) q = q.where('subscriptions.type', '=', only.type);
  return q.orderBy('subscriptions.id', 'desc').execute();
}

export async function unsubscribe(
  db: Executor,
  companyId: string,
  subscriberId: string,
  only: { channel?: SubscriptionChannel; type?: SubscriptionType },
  now: string,
): Promise<void> {
  let q = db
    .updateTable('subscriptions')
    .set({ status: 'unsubscribed', updated_at: now })
    .where('company_id', '=', companyId)
    .where('subscriber_id', '=', subscriberId);
  if (only.channel !== undefined) q = q.where('channel', '=', only.channel);
  if (only.type !== undefined) q = q.where('type', '=', only.type);
  await q.execute();
}

/** Sets attributes on a subscriber of the caller's company (the service resolved it). */
export async function upsertAttributes(
  db: Executor,
  subscriberId: string,
  values: { name: string; value: string }[],
  now: string,
): Promise<void> {
  if (values.length === 0) return;
  await db
    .insertInto('subscriber_attributes')
    .values(values.map((v) => ({ subscriber_id: subscriberId, ...v, updated_at: now })))
    .onConflict((oc) =>
      oc.columns(['subscriber_id', 'name']).doUpdateSet((eb) => ({
        value: eb.ref('excluded.value'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function deleteAttributes(db: Executor, subscriberId: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await db
    .deleteFrom('subscriber_attributes')
    .where('subscriber_id', '=', subscriberId)
    .where('name', 'in', names)
    .execute();
}

export async function listAttributes(db: Executor, subscriberId: string) {
  return db
    .selectFrom('subscriber_attributes')
    .select(['name', 'value'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('name')
    .execute();
}

/**
 * Deletes these subscribers of the company and everything about them: events, subscriptions,
 * attributes and the answers kept for retried writes. Answers how many rows of each went.
 */
export async function deleteSubscribers(db: Executor, companyId: string, ids: string[]) {
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);
  if (ids.length === 0) return { subscribers: 0, events: 0, subscriptions: 0, attributes: 0 };
  const events = await db.deleteFrom('events').where('subscriber_id', 'in', ids).executeTakeFirst();
  const subscriptions = await db
    .deleteFrom('subscriptions')
    .where('subscriber_id', 'in', ids)
    .executeTakeFirst();
  const attributes = await db
    .deleteFrom('subscriber_attributes')
    .where('subscriber_id', 'in', ids)
    .executeTakeFirst();
  await db
    .deleteFrom('idempotency_keys')
    .where('company_id', '=', companyId)
    .where('subscriber_id', 'in', ids)
    .execute();
  const subscribers = await db
    .deleteFrom('subscribers')
    .where('company_id', '=', companyId)
    .where('id', 'in', ids)
    .executeTakeFirst();
  return {
    subscribers: count(subscribers),
    events: count(events),
    subscriptions: count(subscriptions),
    attributes: count(attributes),
  };
}

export async function insertPrivacyRequest(db: Executor, row: PrivacyRequestsTable): Promise<void> {
  await db.insertInto('privacy_requests').values(row).execute();
}

export async function findPrivacyRequest(db: Executor, companyId: string, id: string) {
  return db
    .selectFrom('privacy_requests')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

type KeyRef = Pick<IdempotencyKeysTable, 'company_id' | 'app_id' | 'key'>;

/**
 * Claims an Idempotency-Key for a write about to run in this transaction; false when the key is
 * taken. On PostgreSQL a concurrent claim of the same key waits here until the first commits.
 */
export async function claimIdempotencyKey(db: Executor, row: IdempotencyKeysTable, now: string) {
  await db
    .deleteFrom('idempotency_keys')
    .where('company_id', '=', row.company_id)
    .where('app_id', '=', row.app_id)
    .where('key', '=', row.key)
    .where('expires_at', '<=', now)
    .execute();
  const result = await db
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['company_id', 'app_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findIdempotencyKey(db: Executor, ref: KeyRef) {
  return db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'status', 'response'])
    .where('company_id', '=', ref.company_id)
    .where('app_id', '=', ref.app_id)
    .where('key', '=', ref.key)
    .executeTakeFirst();
}

export async function storeIdempotentResponse(
  db: Executor,
  ref: KeyRef,
  answer: Pick<IdempotencyKeysTable, 'status' | 'response' | 'subscriber_id'>,
): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set(answer)
    .where('company_id', '=', ref.company_id)
    .where('app_id', '=', ref.app_id)
    .where('key', '=', ref.key)
    .execute();
}

export async function purgeExpiredIdempotencyKeys(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('expires_at', '<=', now).execute();
}
