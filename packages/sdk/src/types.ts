// The wire shapes Porter answers with (snake_case, as on the wire; see Porter's /openapi.json).

/** An app installed into a company: what the token exchange and `GET /v1/me` include. */
export interface Installation {
  id: string;
  app: { id: string; name: string };
  company: { id: string; name: string };
  region: string;
  /** The API base URL for the company's region: call the API there. */
  api_base_url: string;
  scopes: string[];
  installed_by: { id: string; name: string; email: string } | null;
  installed_at: string;
  updated_at: string;
}

/** What `GET /v1/me` answers: the app, the one company the credential acts on, its scopes. */
export interface Me {
  application: { id: string; name: string | null } | null;
  company: { id: string; name: string };
  scopes: string[];
  credential: 'api_key' | 'access_token' | 'personal_token';
  installation?: Installation;
}

/** Who an event, subscription or attribute is about: at least one of the three. */
export interface UserRef {
  phone?: string;
  email?: string;
  external_id?: string;
}

export interface Subscriber {
  id: string;
  phone: string | null;
  email: string | null;
  external_id: string | null;
}

export interface Event {
  id: string;
  kind: 'custom' | 'product_view' | 'add_to_cart' | 'purchase';
  type: string;
  subscriber: Subscriber;
  properties: Record<string, unknown>;
  occurred_at: string;
  created_at: string;
}

export interface CustomEventInput {
  type: string;
  user: UserRef;
  properties?: Record<string, unknown>;
  occurred_at?: string;
}

export interface EcommerceItem {
  product_id: string;
  product_variant_id?: string;
  name?: string;
  price: { value: number; currency: string };
  quantity?: number;
}

export interface EcommerceInput {
  user: UserRef;
  items: EcommerceItem[];
  order_id?: string;
  occurred_at?: string;
}

export type Channel = 'sms' | 'email';
export type SubscriptionType = 'marketing' | 'transactional';

export interface Subscription {
  id: string;
  channel: Channel;
  type: SubscriptionType;
  status: 'subscribed' | 'unsubscribed';
  subscriber: Subscriber;
  created_at: string;
  updated_at: string;
}

export interface PrivacyRequest {
  id: string;
  type: 'delete';
  status: 'completed';
  deleted: { subscribers: number; events: number; subscriptions: number; attributes: number };
  created_at: string;
  completed_at: string | null;
}

/** A page of a list, newest first; pass `next_cursor` as `cursor` for the next one. */
export interface PageQuery {
  limit?: number;
  cursor?: string;
}

/** A GraphQL answer: data and/or errors, as the GraphQL spec shapes it. */
export interface GraphQLResult<T> {
  data: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}
