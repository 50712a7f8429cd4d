// The protected API's resources (seed endpoints: subscribers, subscriptions, events, privacy
// requests) and its idempotency keys, apart from schema.ts so each file stays readable.

export interface SubscribersTable {
  id: string;
  /** The one company it belongs to: every read and write is filtered by it. */
  company_id: string;
  /** E.164 (`+14155550100`). */
  phone: string | null;
  /** Lower-cased. */
  email: string | null;
  /** The company's own id for this person. */
  external_id: string | null;
  created_at: string;
}

export interface SubscriberAttributesTable {
  subscriber_id: string;
  name: string;
  /** JSON value. */
  value: string;
  updated_at: string;
}

export type SubscriptionChannel = 'sms' | 'email';
export type SubscriptionType = 'marketing' | 'transactional';

export interface SubscriptionsTable {
  /** Sortable by creation (lib/ids.ts newSortableId): lists page by it. */
  id: string;
  company_id: string;
  subscriber_id: string;
  channel: SubscriptionChannel;
  type: SubscriptionType;
  status: 'subscribed' | 'unsubscribed';
  created_at: string;
  updated_at: string;
}

export type EventKind = 'custom' | 'product_view' | 'add_to_cart' | 'purchase';

export interface EventsTable {
  /** Sortable by creation: lists page by it. */
  id: string;
  company_id: string;
  /** The app whose credential sent it. */
  app_id: string;
  subscriber_id: string;
  kind: EventKind;
  /** The custom event's type; the kind again for ecommerce events. */
  type: string;
  /** JSON object. */
  properties: string;
  occurred_at: string;
  created_at: string;
}

export interface PrivacyRequestsTable {
  id: string;
  company_id: string;
  app_id: string;
  type: 'delete';
  status: 'completed';
  /** JSON: what the request deleted (counts only; the identifiers are not kept). */
  result: string;
  created_at: string;
  completed_at: string | null;
}

export interface IdempotencyKeysTable {
  company_id: string;
  app_id: string;
  /** The client's Idempotency-Key header. */
  key: string;
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  status: number;
  /** The JSON answer given the first time, given again to a retry. */
  response: string;
  /** The subscriber the write was about: a privacy deletion drops its stored answers too. */
  subscriber_id: string | null;
  created_at: string;
  expires_at: string;
}
