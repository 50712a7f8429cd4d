import { isOAuthErrorCode, OAuthError, PorterApiError } from './errors.js';
import { apiError, endpoint, type Fetch, readJson } from './http.js';
import type { Installation } from './types.js';

export interface ExchangeCodeOptions {
  porterUrl: string;
  clientId: string;
  clientSecret: string;
  /** The code handleCallback() returned. */
  code: string;
  /** The same redirect URI the install URL carried (RFC 6749 §4.1.3). */
  redirectUri: string;
  /** The PKCE verifier kept since installUrl() (RFC 7636 §4.5). */
  codeVerifier?: string;
  fetch?: Fetch;
}

/** A successful exchange: the company's access token and the installation it acts for. */
export interface TokenSet {
  accessToken: string;
  tokenType: 'Bearer';
  scopes: string[];
  installation: Installation;
}

/** RFC 6749 §2.3.1: HTTP Basic with the id and secret form-urlencoded first. */
function basic(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replaceAll('%20', '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`).toString('base64')}`;
}

/** The token answer checked field by field (RFC 6749 §5.1); a malformed one is refused. */
function tokenSet(json: Record<string, unknown>): TokenSet {
  const installation = json.installation as Installation | undefined;
  if (typeof json.access_token !== 'string' || !json.access_token)
    throw new PorterApiError(200, 'invalid_response', 'The token answer has no access_token.');
  if (typeof json.token_type !== 'string' || json.token_type.toLowerCase() !== 'bearer')
    throw new PorterApiError(200, 'invalid_response', 'The token answer is not a Bearer token.');
  if (typeof installation?.company?.id !== 'string')
    throw new PorterApiError(200, 'invalid_response', 'The token answer has no installation.');
  const scopes = typeof json.scope === 'string' ? json.scope.split(' ').filter(Boolean) : installation.scopes;
  return { accessToken: json.access_token, tokenType: 'Bearer', scopes, installation };
}

/**
 * Exchanges an authorization code for the company's access token (never retried: a code is
 * single use, and a replay revokes the token it issued). Throws OAuthError with the RFC 6749
 * §5.2 code on refusal, PorterApiError for anything else.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export async function exchangeCode(o: ExchangeCodeOptions): Promise<TokenSet> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: o.code,
    redirect_uri: o.redirectUri,
  });
  if (o.codeVerifier !== undefined) body.set('code_verifier', o.codeVerifier);
  const res = await (o.fetch ?? fetch)(endpoint(o.porterUrl, '/oauth/token'), {
    method: 'POST',
    headers: {
      authorization: basic(o.clientId, o.clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body,
  });
  const json = await readJson(res);
  if (res.ok) return tokenSet(json);
  if (isOAuthErrorCode(json.error))
    throw new OAuthError(json.error, String(json.error_description ?? json.error), res.status);
  throw apiError(res, json, 'The token endpoint');
}

/** Porter's authorization server metadata (RFC 8414), of which `issuer` is what callbacks carry. */
export interface PorterMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
  introspection_endpoint?: string;
  scopes_supported?: string[];
  [name: string]: unknown;
}

/**
 * Reads `/.well-known/oauth-authorization-server`; its `issuer` is what handleCallback() expects.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export async function discover(porterUrl: string, o: { fetch?: Fetch } = {}): Promise<PorterMetadata> {
  const res = await (o.fetch ?? fetch)(endpoint(porterUrl, '/.well-known/oauth-authorization-server'), {
    headers: { accept: 'application/json' },
  });
  const json = await readJson(res);
  if (!res.ok) throw apiError(res, json, 'The metadata endpoint');
  if (typeof json.issuer !== 'string' || typeof json.token_endpoint !== 'string')
    throw new PorterApiError(res.status, 'invalid_response', 'The metadata has no issuer or token_endpoint.');
  return json as PorterMetadata;
}
