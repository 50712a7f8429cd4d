// Why an authorization request or token exchange failed, as the install debugger keeps it: a
// kind and a few facts that are safe to store and show the app's developer. Never a code,
// secret, verifier, token or whole query string; strings are cut to MAX_TEXT.

/** The longest string a cause keeps (a redirect URI, an origin, a parameter value). */
export const MAX_TEXT = 2048;

export type FailureCause =
  | { kind: 'redirect_uri_missing'; registered: string[] }
  | { kind: 'redirect_uri_mismatch'; given: string; registered: string[] }
  | { kind: 'repeated_parameter'; names: string[] }
  | { kind: 'app_suspended' }
  | { kind: 'unsupported_response_type'; given: string | null }
  | { kind: 'scope_not_requested'; unknown: string[]; requested: string[] }
  | { kind: 'pkce_challenge_invalid'; problem: 'method' | 'format' | 'method_without_challenge' }
  | { kind: 'secret_mismatch' }
  | { kind: 'previous_secret_expired'; expiredAt: string }
  | { kind: 'secret_for_other_client'; clientId: string }
  | { kind: 'client_id_unknown'; given: string }
  | { kind: 'origin_missing'; allowed: string[] }
  | { kind: 'origin_not_allowed'; origin: string; allowed: string[] }
  | { kind: 'unsupported_grant_type'; given: string | null }
  | { kind: 'parameter_missing'; name: string }
  | { kind: 'code_unknown' }
  | { kind: 'code_expired'; expiredSecondsAgo: number }
  | { kind: 'code_used'; usedSecondsAgo: number; tokenRevoked: boolean }
  | { kind: 'redirect_uri_differs'; given: string; expected: string }
  | { kind: 'pkce_verifier_missing' }
  | { kind: 'pkce_mismatch' }
  | { kind: 'pkce_verifier_unexpected' };

export type FailureKind = FailureCause['kind'];

/** A failure to record: the app it belongs to and why. */
export interface Failure {
  appId: string;
  cause: FailureCause;
}

/** A string cut to MAX_TEXT characters, so a hostile request cannot fill the table. */
export function capped(value: string): string {
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
}

function list(values: string[]): string {
  return values.length === 0 ? 'none' : values.map((v) => `"${v}"`).join(', ');
}

function duration(seconds: number): string {
  if (seconds < 1) return 'less than a second';
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

const PKCE_CHALLENGE: Record<'method' | 'format' | 'method_without_challenge', string> = {
  method:
    'The code_challenge_method was not S256 (plain, or none with a challenge); Porter accepts S256 only.',
  format: 'The code_challenge is not a base64url SHA-256 (43 characters).',
  method_without_challenge: 'A code_challenge_method came without a code_challenge.',
};

const EXPLAIN: { [K in FailureKind]: (cause: Extract<FailureCause, { kind: K }>) => string } = {
  redirect_uri_missing: (c) =>
    `The request named no redirect_uri, and the app has several registered (${list(c.registered)}): name one.`,
  redirect_uri_mismatch: (c) =>
    `The redirect_uri "${c.given}" is not registered. Registered: ${list(c.registered)}. It must match one exactly, query included.`,
  repeated_parameter: (c) => `These parameters came more than once: ${c.names.join(', ')}.`,
  app_suspended: () => 'The app is suspended, so it can be neither installed nor exchange codes.',
  unsupported_response_type: (c) =>
    `response_type was ${c.given === null ? 'missing' : `"${c.given}"`}; only "code" is supported.`,
  scope_not_requested: (c) =>
    `The request asked for scopes the app does not request: ${list(c.unknown)}. The app requests ${list(c.requested)}.`,
  pkce_challenge_invalid: (c) => PKCE_CHALLENGE[c.problem],
  secret_mismatch: () => "The client secret is not this app's current secret (was it regenerated?).",
  previous_secret_expired: (c) =>
    `The client secret is the app's previous one, which stopped working at ${c.expiredAt} when its overlap window ended: deploy the current secret.`,
  secret_for_other_client: (c) =>
    `The client secret belongs to another app, whose client ID is ${c.clientId}: the client ID and secret were mixed up.`,
  client_id_unknown: (c) =>
    `The client secret is this app's, but it came with the client ID "${c.given}", which no app has.`,
  origin_missing: (c) =>
    `The app has allowed origins (${list(c.allowed)}), but the request sent no Origin header.`,
  origin_not_allowed: (c) =>
    `The request came from the Origin "${c.origin}", which is not allowed. Allowed: ${list(c.allowed)}.`,
  unsupported_grant_type: (c) =>
    `grant_type was ${c.given === null ? 'missing' : `"${c.given}"`}; only "authorization_code" is supported.`,
  parameter_missing: (c) => `The token request had no ${c.name}.`,
  code_unknown: () => 'The code is not one Porter issued to this app, or it was purged long after expiring.',
  code_expired: (c) =>
    `The code expired ${duration(c.expiredSecondsAgo)} before it was exchanged. Exchange codes as soon as the redirect arrives.`,
  code_used: (c) =>
    `The code was already used ${duration(c.usedSecondsAgo)} earlier; a code works once${c.tokenRevoked ? ', so the token issued with it was revoked' : ''}.`,
  redirect_uri_differs: (c) =>
    `The redirect_uri "${c.given}" differs from the one of the authorization request, "${c.expected}".`,
  pkce_verifier_missing: () =>
    'The authorization request had a code_challenge, but the exchange sent no code_verifier.',
  pkce_mismatch: () => 'The code_verifier does not match the code_challenge of the authorization request.',
  pkce_verifier_unexpected: () =>
    'A code_verifier was sent, but the authorization request had no code_challenge.',
};

/** The cause in plain words: the one sentence the portal, the developer API and the CLI show. */
export function explain(cause: FailureCause): string {
  const render = EXPLAIN[cause.kind] as (c: FailureCause) => string;
  return render(cause);
}
