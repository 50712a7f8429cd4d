import type { Failure } from '../debugger/causes.js';
import { DomainError } from '../lib/errors.js';

/** The error codes of RFC 6749 §4.1.2.1 (authorization) and §5.2 (token). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error';

/**
 * One OAuth error: its RFC code, a description for the developer, the HTTP status, and whether
 * it may travel to the client's redirect URI. The route decides how to show it: JSON (§5.2), a
 * redirect with `error=` (§4.1.2.1), or an error page when the client or its redirect URI is
 * not trusted (§4.1.2.1: never redirect to an unverified URI).
 */
export class OAuthError extends DomainError {
  readonly status: number;
  readonly redirectable: boolean;
  /** Why, for the install debugger, when the request named a real app (debugger/causes.ts). */
  readonly failure: Failure | undefined;
  constructor(
    readonly code: OAuthErrorCode,
    message: string,
    opts: { redirectable?: boolean; status?: number; failure?: Failure } = {},
  ) {
    super(message);
    this.redirectable = opts.redirectable ?? true;
    this.failure = opts.failure;
    this.status = opts.status ?? (code === 'invalid_client' ? 401 : 400);
  }
}
