import type { z } from 'zod';
import type { Database, Executor } from '../db/database.js';
import type { EventKind } from '../db/schema.js';
import { NotFoundError } from '../lib/errors.js';
import { isId, newId, newSortableId } from '../lib/ids.js';
import { type Answer, type Caller, purgeExpiredAnswers, writeOnce } from './idempotency.js';
import { decodeCursor, toPage } from './pagination.js';
import * as repo from './repo.js';
import type * as s from './schemas.js';

type In<S extends z.ZodType> = z.output<S>;

/** The Idempotency-Key of a write, when the client sent one. */
export type RetryKey = string | undefined;

/** The subscriber a user reference names: the external id's first, then the phone's, then the email's. */
function pick(rows: repo.SubscriberRow[], ref: s.UserRef): repo.SubscriberRow | undefined {
  return (
    rows.find((r) => ref.external_id !== undefined && r.external_id === ref.external_id) ??
    rows.find((r) => ref.phone !== undefined && r.phone === ref.phone) ??
    rows.find((r) => ref.email !== undefined && r.email === ref.email)
  );
}

async function findSubscriber(db: Executor, companyId: string, ref: s.UserRef) {
  return pick(await repo.findSubscribers(db, companyId, ref), ref);
}

/** The company's subscriber for this reference, created on first mention. */
async function resolveSubscriber(trx: Executor, companyId: string, ref: s.UserRef, now: string) {
  const found = await findSubscriber(trx, companyId, ref);
  if (found) return found;
  await repo.insertSubscriberIfAbsent(trx, {
    id: newId('sbr'),
    company_id: companyId,
    phone: ref.phone ?? null,
    email: ref.email ?? null,
    external_id: ref.external_id ?? null,
    created_at: now,
  });
  const created = await findSubscriber(trx, companyId, ref);
  if (!created) throw new Error('subscriber vanished after insert');
  return created;
}

function subscriberView(r: {
  subscriber_id: string;
  phone: string | null;
  email: string | null;
  external_id: string | null;
}) {
  return { id: r.subscriber_id, phone: r.phone, email: r.email, external_id: r.external_id };
}

function eventView(r: Awaited<ReturnType<typeof repo.listEvents>>[number]): s.EventView {
  return {
    id: r.id,
    kind: r.kind,
    type: r.type,
    subscriber: subscriberView(r),
    properties: JSON.parse(r.properties),
    occurred_at: r.occurred_at,
    created_at: r.created_at,
  };
}

function subscriptionView(r: repo.SubscriptionDetails): s.SubscriptionView {
  const { id, channel, type, status, created_at, updated_at } = r;
  return { id, channel, type, status, subscriber: subscriberView(r), created_at, updated_at };
}

/**
 * The protected API's resources: subscribers, their events, subscriptions and attributes, and
 * privacy requests, each only ever read or written within the caller's company.
 */
export class ResourcesService {
  constructor(private readonly db: Database) {}

  /** Drops the answers kept for Idempotency-Key retries past their day. */
  purgeExpired(): Promise<void> {
    return purgeExpiredAnswers(this.db);
  }

  /** Records an event about a subscriber (created on first mention). */
  recordEvent(
    caller: Caller,
    key: RetryKey,
    kind: EventKind,
    input: In<typeof s.customEventInput> | In<typeof s.ecommerceInput>,
  ): Promise<Answer<s.EventView>> {
    const request = { key, operation: `event:${kind}`, input, status: 201 };
    return writeOnce(this.db, caller, request, async (trx, now) => {
      const subscriber = await resolveSubscriber(trx, caller.companyId, input.user, now);
      const { user: _user, occurred_at, ...rest } = input;
      const type = 'type' in rest ? rest.type : kind;
      const properties = 'properties' in rest ? rest.properties : { ...rest };
      const row = {
        id: newSortableId('evt'),
        company_id: caller.companyId,
        app_id: caller.appId,
        subscriber_id: subscriber.id,
        kind,
        type,
        properties: JSON.stringify(properties),
        occurred_at: occurred_at ?? now,
        created_at: now,
      };
      await repo.insertEvent(trx, row);
      return {
        body: eventView({ ...subscriber, ...row }),
        subscriberId: subscriber.id,
      };
    });
  }

  /** A page of the company's custom events, newest first. */
  async listCustomEvents(caller: Caller, query: In<typeof s.customEventsQuery>) {
    const before = decodeCursor(query.cursor);
    const filter = { kind: 'custom' as const, type: query.type, before, limit: query.limit + 1 };
    return toPage(await repo.listEvents(this.db, caller.companyId, filter), query.limit, eventView);
  }

  /** Subscribes a subscriber (created on first mention) to a channel; again after an unsubscribe. */
  subscribe(caller: Caller, key: RetryKey, input: In<typeof s.subscribeInput>) {
    const request = { key, operation: 'subscribe', input, status: 201 };
    return writeOnce(this.db, caller, request, async (trx, now) => {
      const subscriber = await resolveSubscriber(trx, caller.companyId, input.user, now);
      const only = { channel: input.channel, type: input.type };
      await repo.upsertSubscription(trx, {
        id: newSortableId('sbn'),
        company_id: caller.companyId,
        subscriber_id: subscriber.id,
        ...only,
        status: 'subscribed',
        created_at: now,
        updated_at: now,
      });
      const [row] = await repo.subscriberSubscriptions(trx, caller.companyId, subscriber.id, only);
      if (!row) throw new Error('subscription vanished after upsert');
      return { body: subscriptionView(row), subscriberId: subscriber.id };
    });
  }

  /** A page of the company's subscriptions, newest first, optionally of one phone or email. */
  async listSubscriptions(caller: Caller, query: In<typeof s.subscriptionsQuery>) {
    const filter = { ...query, before: decodeCursor(query.cursor), limit: query.limit + 1 };
    return toPage(
      await repo.listSubscriptions(this.db, caller.companyId, filter),
      query.limit,
      subscriptionView,
    );
  }

  /** Unsubscribes a known subscriber from every subscription, or those of one channel or type. */
  unsubscribe(caller: Caller, key: RetryKey, input: In<typeof s.unsubscribeInput>) {
    const request = { key, operation: 'unsubscribe', input, status: 200 };
    return writeOnce(this.db, caller, request, async (trx, now) => {
      const subscriber = await findSubscriber(trx, caller.companyId, input.user);
      if (!subscriber) throw new NotFoundError('Subscriber');
      const only = { channel: input.channel, type: input.type };
      await repo.unsubscribe(trx, caller.companyId, subscriber.id, only, now);
      const rows = await repo.subscriberSubscriptions(trx, caller.companyId, subscriber.id, only);
      return { body: { subscriptions: rows.map(subscriptionView) }, subscriberId: subscriber.id };
    });
  }

  /** Sets custom attributes on a subscriber (created on first mention); a null value removes one. */
  setAttributes(caller: Caller, key: RetryKey, input: In<typeof s.attributesInput>) {
    const request = { key, operation: 'attributes', input, status: 200 };
    return writeOnce(this.db, caller, request, async (trx, now) => {
      const subscriber = await resolveSubscriber(trx, caller.companyId, input.user, now);
      const entries = Object.entries(input.properties);
      const set = entries
        .filter(([, v]) => v !== null)
        .map(([name, v]) => ({ name, value: JSON.stringify(v) }));
      await repo.upsertAttributes(trx, subscriber.id, set, now);
      await repo.deleteAttributes(
        trx,
        subscriber.id,
        entries.filter(([, v]) => v === null).map(([n]) => n),
      );
      const rows = await repo.listAttributes(trx, subscriber.id);
      const attributes = Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
      const body = {
        subscriber: subscriberView({ ...subscriber, subscriber_id: subscriber.id }),
        attributes,
      };
      return { body, subscriberId: subscriber.id };
    });
  }

  /**
   * A deletion request, carried out at once: every subscriber of the company known by one of the
   * identifiers is deleted with its events, subscriptions and attributes. The request keeps the
   * counts, never the identifiers, and neither does its stored answer.
   */
  createPrivacyRequest(caller: Caller, key: RetryKey, input: In<typeof s.privacyRequestInput>) {
    const request = { key, operation: 'privacy_request', input, status: 201 };
    return writeOnce(this.db, caller, request, async (trx, now) => {
      const subscribers = await repo.findSubscribers(trx, caller.companyId, input.user);
      const deleted = await repo.deleteSubscribers(
        trx,
        caller.companyId,
        subscribers.map((r) => r.id),
      );
      const row = {
        id: newId('prq'),
        company_id: caller.companyId,
        app_id: caller.appId,
        type: input.type,
        status: 'completed' as const,
        result: JSON.stringify(deleted),
        created_at: now,
        completed_at: now,
      };
      await repo.insertPrivacyRequest(trx, row);
      return { body: privacyRequestView(row), subscriberId: null };
    });
  }

  /** A privacy request of the caller's company. */
  async findPrivacyRequest(caller: Caller, id: string): Promise<s.PrivacyRequestView> {
    const row = isId(id, 'prq') ? await repo.findPrivacyRequest(this.db, caller.companyId, id) : undefined;
    if (!row) throw new NotFoundError('Privacy request');
    return privacyRequestView(row);
  }
}

function privacyRequestView(row: {
  id: string;
  type: 'delete';
  status: 'completed';
  result: string;
  created_at: string;
  completed_at: string | null;
}): s.PrivacyRequestView {
  const { id, type, status, created_at, completed_at } = row;
  return { id, type, status, deleted: JSON.parse(row.result), created_at, completed_at };
}
