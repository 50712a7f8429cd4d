import { timingSafeEqual } from 'node:crypto';
import { IssuerMismatchError, isOAuthErrorCode, OAuthError, StateMismatchError } from './errors.js';

export interface CallbackChecks {
  /** The state kept for this browser when the install started. */
  expectedState: string;
  /** Porter's issuer (its metadata's `issuer`, normally its public URL). */
  expectedIssuer: string;
}

/** Whether two strings are equal, in time that does not depend on where they differ. */
export function equalSecrets(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  // RFC 6749 §3.1: a parameter must not appear more than once.
  if (values.length > 1) throw new OAuthError('invalid_request', `The callback repeats ${name}.`);
  return values[0];
}

/**
 * Checks the redirect Porter sent the browser back with and returns its code. Refuses a
 * foreign `iss` (RFC 9207 §2.4) or `state` (RFC 6749 §10.12) before reading anything else,
 * then turns `error=` into an OAuthError (`access_denied` when the customer declined).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
export function handleCallback(url: string | URL, checks: CallbackChecks): { code: string } {
  const query = new URL(url, 'http://callback.invalid').searchParams;
  const iss = single(query, 'iss');
  // RFC 9207 §2.4: Porter always sends iss, so one that is missing is refused too.
  if (iss !== checks.expectedIssuer) throw new IssuerMismatchError(checks.expectedIssuer, iss);
  const state = single(query, 'state');
  if (state === undefined || !equalSecrets(state, checks.expectedState)) throw new StateMismatchError();
  const error = single(query, 'error');
  if (error !== undefined) {
    const description = single(query, 'error_description') ?? error;
    throw new OAuthError(isOAuthErrorCode(error) ? error : 'server_error', description);
  }
  const code = single(query, 'code');
  if (!code) throw new OAuthError('invalid_request', 'The callback has neither code nor error.');
  return { code };
}
