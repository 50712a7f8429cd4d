import { createHash } from 'node:crypto';
import { apiError, endpoint, type Fetch, readJson } from './http.js';
import type { Installation } from './types.js';

/** What Porter's introspection answers (RFC 7662 §2.2); inactive is exactly `{active:false}`. */
export type Introspection =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id?: string;
      token_type: 'Bearer';
      iat: number;
      exp?: number;
      iss: string;
      sub: string;
      company_id: string;
      credential: 'api_key' | 'access_token';
      installation?: Installation;
    };

export interface IntrospectorOptions {
  porterUrl: string;
  /** A resource-server credential, porter_rs_… (`porter resource-server create`). */
  resourceServerSecret: string;
  /** How long an active answer is reused (default 30 s; never past the token's exp). */
  cacheSeconds?: number;
  /** How long an inactive answer is reused (default 5 s), so a bad token cannot flood Porter. */
  inactiveCacheSeconds?: number;
  /** How many answers are kept at most (default 10 000; the oldest go first). */
  maxEntries?: number;
  fetch?: Fetch;
}

interface Entry {
  value: Introspection;
  until: number;
}

/**
 * Asks Porter what a token is, with a short cache keyed by the token's hash: a revocation
 * reaches this resource server within `cacheSeconds` at most.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-4
 */
export class Introspector {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Introspection>>();

  constructor(private readonly o: IntrospectorOptions) {}

  /** The token's introspection, from the cache or from Porter (one request for concurrent callers). */
  introspect(token: string): Promise<Introspection> {
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.value);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const lookup = this.ask(token)
      .then((value) => {
        this.keep(key, value);
        return value;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, lookup);
    return lookup;
  }

  private async ask(token: string): Promise<Introspection> {
    const res = await (this.o.fetch ?? fetch)(endpoint(this.o.porterUrl, '/oauth/introspect'), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.o.resourceServerSecret}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ token }),
    });
    const json = await readJson(res);
    if (!res.ok) throw apiError(res, json, 'The introspection endpoint');
    return json.active === true ? (json as Introspection) : { active: false };
  }

  private keep(key: string, value: Introspection) {
    const now = Date.now();
    const seconds = value.active ? (this.o.cacheSeconds ?? 30) : (this.o.inactiveCacheSeconds ?? 5);
    let until = now + seconds * 1000;
    // RFC 7662 §4: a cached answer must not outlive the token.
    if (value.active && value.exp !== undefined) until = Math.min(until, value.exp * 1000);
    if (until <= now) return;
    if (this.cache.size >= (this.o.maxEntries ?? 10_000)) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, { value, until });
  }
}
