// @porter/sdk: what an app developer needs to talk to a Porter server. Shaped like
// oauth4webapi: one function per protocol operation, typed errors with a `code`.

import { createHash, randomBytes } from 'node:crypto';

/** A failed Porter API call: the HTTP status and the stable error code from docs/errors.md. */
export class PorterApiError extends Error {
  override name = 'PorterApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A random `state` value to bind the install redirect to this browser session (CSRF protection).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A PKCE code verifier and its S256 challenge.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function createPkce(verifier: string = randomBytes(32).toString('base64url')) {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) {
    throw new TypeError('a PKCE code verifier is 43 to 128 unreserved characters (RFC 7636 §4.1)');
  }
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' as const };
}

export interface InstallUrlOptions {
  /** The Porter server's public URL, such as https://porter.example.com */
  porterUrl: string;
  clientId: string;
  /** Exactly one of the app's registered redirect URLs. */
  redirectUri: string;
  /** Must equal the scopes the app requires. */
  scopes: readonly string[];
  state?: string;
  /** An S256 challenge from createPkce(). */
  codeChallenge?: string;
}

/**
 * The URL that starts an install (Porter's distribution URL), with optional state and PKCE.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export function buildInstallUrl(o: InstallUrlOptions): string {
  const url = new URL('/integrations/oauth-install', o.porterUrl);
  url.searchParams.set('client_id', o.clientId);
  url.searchParams.set('redirect_uri', o.redirectUri);
  url.searchParams.set('scope', o.scopes.join(' '));
  if (o.state !== undefined) url.searchParams.set('state', o.state);
  if (o.codeChallenge !== undefined) {
    url.searchParams.set('code_challenge', o.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString().replaceAll('+', '%20');
}

/** What `GET /v1/me` answers: the app, the one company the credential acts on, its scopes. */
export interface Me {
  application: { id: string; name: string } | null;
  company: { id: string; name: string };
  scopes: string[];
  credential: 'api_key' | 'access_token';
}

/** A client for Porter's protected API with an API key or an access token. */
export class PorterClient {
  constructor(
    private readonly porterUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** Calls the API; answers parsed JSON or throws PorterApiError. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchImpl(new URL(path, this.porterUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok) {
      const code = String(json.code ?? json.error ?? 'http_error');
      const message = String(
        json.error_description ?? json.title ?? `${method} ${path} answered ${res.status}`,
      );
      throw new PorterApiError(res.status, code, message);
    }
    return json as T;
  }

  /** Which app, company and scopes this credential has. */
  me(): Promise<Me> {
    return this.request<Me>('GET', '/v1/me');
  }
}
