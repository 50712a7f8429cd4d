// Every failure the SDK reports is one of these classes, each with a stable `code`, so an app
// can branch on `err.code` instead of parsing messages (as oauth4webapi does).

/**
 * The error codes an OAuth answer may carry: RFC 6749 §4.1.2.1 (authorization) and §5.2
 * (token), RFC 6750 §3.1 (bearer), RFC 7636 §4.4.1 (PKCE uses invalid_request/invalid_grant).
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'unauthorized_client'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'invalid_token'
  | 'insufficient_scope';

const OAUTH_CODES: ReadonlySet<string> = new Set<OAuthErrorCode>([
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'invalid_client',
  'invalid_grant',
  'unsupported_grant_type',
  'invalid_token',
  'insufficient_scope',
]);

/** Whether a string is one of the OAuth error codes above. */
export function isOAuthErrorCode(code: unknown): code is OAuthErrorCode {
  return typeof code === 'string' && OAUTH_CODES.has(code);
}

/**
 * An OAuth error from Porter: an `error=` on the callback (`access_denied` when the customer
 * declined) or a token endpoint's error answer. `status` is the HTTP status (0 on a callback).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }
}

/** A failed Porter API call: the HTTP status and the stable error code from docs/errors.md. */
export class PorterApiError extends Error {
  override name = 'PorterApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds Porter asked to wait (429, 503), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * The callback's `state` is not the one this browser was sent with: possible CSRF, or a
 * callback from another session. Do not exchange the code.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12
 */
export class StateMismatchError extends Error {
  override name = 'StateMismatchError';
  readonly code = 'state_mismatch';
  constructor() {
    super('The callback state does not match the state this session sent; the install was not started here.');
  }
}

/**
 * The callback's `iss` is missing or not Porter's issuer: a mix-up attack, or the wrong server.
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export class IssuerMismatchError extends Error {
  override name = 'IssuerMismatchError';
  readonly code = 'issuer_mismatch';
  constructor(
    readonly expected: string,
    readonly received: string | undefined,
  ) {
    super(
      received === undefined
        ? `The callback has no iss parameter; expected ${expected}.`
        : `The callback's iss is ${received}; expected ${expected}.`,
    );
  }
}

/** Why a webhook delivery was refused. */
export type WebhookErrorCode =
  | 'missing_signature'
  | 'malformed_signature'
  | 'timestamp_too_old'
  | 'signature_mismatch';

/** A webhook delivery that did not prove it came from Porter; answer it with 400 and drop it. */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
  ) {
    super(message);
  }
}
