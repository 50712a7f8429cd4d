import { randomUUID } from 'node:crypto';
import { apiError, endpoint, type Fetch, readJson } from './http.js';
import {
  isRetriedStatus,
  RETRY_DEFAULTS,
  type RetryOptions,
  retryAfterMs,
  retryDelay,
  sleep,
} from './retry.js';
import type {
  Channel,
  CustomEventInput,
  EcommerceInput,
  Event,
  GraphQLResult,
  Me,
  PageQuery,
  PrivacyRequest,
  Subscription,
  SubscriptionType,
  UserRef,
} from './types.js';

export interface ClientOptions extends RetryOptions {
  fetch?: Fetch;
}

/** Options of a write: the Idempotency-Key, generated when not given. */
export interface WriteOptions {
  /** The same key for the same logical write, so a retry never writes twice. */
  idempotencyKey?: string;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  query?: object;
  /** Sent on writes; a retry of the same call sends the same key. */
  idempotencyKey?: string;
  /** Whether repeating the request is harmless (reads, and writes with a key). */
  retry: boolean;
}

function withQuery(url: URL, query: Call['query']): URL {
  for (const [k, v] of Object.entries(query ?? {}) as [string, unknown][])
    if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

/**
 * Porter's protected API for one credential: an access token (one company) or an API key.
 * Reads, and writes with their Idempotency-Key, are retried on 429, 502, 503, 504 and network
 * failures; the key is generated once per call and reused by its retries.
 */
export class PorterClient {
  private readonly fetchImpl: Fetch;
  private readonly retry: Required<RetryOptions>;

  constructor(
    private readonly porterUrl: string,
    private readonly token: string,
    options: ClientOptions = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
    this.retry = {
      maxRetries: options.maxRetries ?? RETRY_DEFAULTS.maxRetries,
      baseDelayMs: options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs,
    };
  }

  private send(call: Call): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;
    return this.fetchImpl(withQuery(endpoint(this.porterUrl, call.path), call.query), {
      method: call.method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
  }

  /** One attempt after another until an answer that is final, or the retries run out. */
  private async attempt(call: Call): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const last = !call.retry || attempt >= this.retry.maxRetries;
      let res: Response;
      try {
        res = await this.send(call);
      } catch (err) {
        if (last) throw err;
        await sleep(retryDelay(attempt, undefined, this.retry) ?? 0);
        continue;
      }
      if (last || !isRetriedStatus(res.status)) return res;
      const wait = retryDelay(attempt, retryAfterMs(res.headers.get('retry-after')), this.retry);
      if (wait === undefined) return res;
      await res.body?.cancel();
      await sleep(wait);
    }
  }

  /** Calls the API; answers the parsed JSON or throws PorterApiError. */
  async request<T>(call: Call): Promise<T> {
    const res = await this.attempt(call);
    const json = await readJson(res);
    if (!res.ok) throw apiError(res, json, `${call.method} ${call.path}`);
    return json as T;
  }

  private read<T>(path: string, query?: Call['query']): Promise<T> {
    return this.request<T>({ method: 'GET', path, query, retry: true });
  }

  private write<T>(path: string, body: unknown, o: WriteOptions = {}): Promise<T> {
    const idempotencyKey = o.idempotencyKey ?? randomUUID();
    return this.request<T>({ method: 'POST', path, body, idempotencyKey, retry: true });
  }

  /** Which app, company and scopes this credential has (and the installation, for a token). */
  me(): Promise<Me> {
    return this.read<Me>('/v1/me');
  }

  /**
   * Runs a GraphQL query. Field errors come back in `errors` (a missing scope among them);
   * a refused credential or an invalid query throws PorterApiError. Porter's schema has only
   * queries, so a request is retried like a read.
   */
  async graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResult<T>> {
    const body = { query, variables };
    const json = await this.request<GraphQLResult<T>>({
      method: 'POST',
      path: '/graphql',
      body,
      retry: true,
    });
    return { data: json.data ?? null, ...(json.errors ? { errors: json.errors } : {}) };
  }

  /** `events:write`: records a custom event about a subscriber. */
  recordCustomEvent(input: CustomEventInput, o?: WriteOptions): Promise<Event> {
    return this.write('/v1/events/custom', input, o);
  }

  /** `events:write`: the company's custom events, newest first. */
  listCustomEvents(q: PageQuery & { type?: string } = {}) {
    return this.read<{ events: Event[]; next_cursor: string | null }>('/v1/events/custom', q);
  }

  /** `ecommerce:write`: a subscriber viewed products. */
  recordProductView(input: Omit<EcommerceInput, 'order_id'>, o?: WriteOptions): Promise<Event> {
    return this.write('/v1/events/ecommerce/product-view', input, o);
  }

  /** `ecommerce:write`: a subscriber added products to a cart. */
  recordAddToCart(input: Omit<EcommerceInput, 'order_id'>, o?: WriteOptions): Promise<Event> {
    return this.write('/v1/events/ecommerce/add-to-cart', input, o);
  }

  /** `ecommerce:write`: a purchase. */
  recordPurchase(input: EcommerceInput, o?: WriteOptions): Promise<Event> {
    return this.write('/v1/events/ecommerce/purchase', input, o);
  }

  /** `subscriptions:write`: subscribes a subscriber to sms (needs a phone) or email. */
  subscribe(
    input: { user: UserRef; channel: Channel; type?: SubscriptionType },
    o?: WriteOptions,
  ): Promise<Subscription> {
    return this.write('/v1/subscriptions', input, o);
  }

  /** `subscriptions:write`: the company's subscriptions, of one phone or email when given. */
  listSubscriptions(q: PageQuery & { phone?: string; email?: string } = {}) {
    return this.read<{ subscriptions: Subscription[]; next_cursor: string | null }>('/v1/subscriptions', q);
  }

  /** `subscriptions:write`: unsubscribes (from one channel or type when given). */
  unsubscribe(
    input: { user: UserRef; channel?: Channel; type?: SubscriptionType },
    o?: WriteOptions,
  ): Promise<{ subscriptions: Subscription[] }> {
    return this.write('/v1/subscriptions/unsubscribe', input, o);
  }

  /** `attributes:write`: sets custom attributes on a subscriber (null removes one). */
  setAttributes(
    input: { user: UserRef; properties: Record<string, string | number | boolean | null> },
    o?: WriteOptions,
  ): Promise<{ subscriber: Event['subscriber']; attributes: Record<string, unknown> }> {
    return this.write('/v1/attributes/custom', input, o);
  }

  /** `privacy_requests:write`: deletes a subscriber's data at once. */
  createPrivacyRequest(input: { user: UserRef; type?: 'delete' }, o?: WriteOptions): Promise<PrivacyRequest> {
    return this.write('/v1/privacy-requests', input, o);
  }

  /** `privacy_requests:write`: a privacy request of the company. */
  getPrivacyRequest(id: string): Promise<PrivacyRequest> {
    return this.read(`/v1/privacy-requests/${encodeURIComponent(id)}`);
  }
}
