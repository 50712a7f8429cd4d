// The one error vocabulary. Services throw DomainErrors; web/errors.ts maps every error to HTTP
// in one place, the CLI to exit codes. Each code is one row of docs/errors.md, and a test
// (errors.test.ts) fails when the two differ.

/** Every stable error code Porter answers with, on any edge. */
export const ERROR_CODES = [
  'invalid_request',
  'invalid_credentials',
  'invalid_token',
  'insufficient_scope',
  'csrf_failed',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'idempotency_key_reused',
  'payload_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'http_error',
  'too_many_attempts',
  'expired_link',
  'rate_limited',
  'internal_error',
  'query_too_complex',
  'usage',
  'config',
  // RFC 6749 §4.1.2.1 and §5.2: the authorization server's own codes.
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'unsupported_response_type',
  'invalid_scope',
  'access_denied',
  'server_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type FieldIssues = Record<string, string>;

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly status: number;
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  readonly status = 404;
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';
  readonly status = 403;
}

export class ConflictError extends DomainError {
  readonly code = 'conflict';
  readonly status = 409;
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Input that breaks a rule; `fields` maps each wire field name to its message. */
export class ValidationError extends DomainError {
  readonly code = 'invalid_request';
  readonly status = 400;
  constructor(readonly fields: FieldIssues) {
    super(
      Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; '),
    );
  }
}

/** Over a rate limit; answered with `Retry-After`. */
export class TooManyAttemptsError extends DomainError {
  readonly code = 'too_many_attempts';
  readonly status = 429;
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`,
  ) {
    super(message);
  }
}

/** A link from a mail (verification, password reset, invitation) that is unknown, expired, used or revoked. */
export class ExpiredLinkError extends DomainError {
  readonly code = 'expired_link';
  readonly status = 410;
  constructor(message = 'This link has expired or was already used. Ask for a new one.') {
    super(message);
  }
}

/** A bearer credential sent more requests than its window allows (draft-ietf-httpapi-ratelimit-headers). */
export class RateLimitedError extends DomainError {
  readonly code = 'rate_limited';
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests with this credential. Try again in ${retryAfterSeconds} s.`);
  }
}

export class InvalidCredentialsError extends DomainError {
  readonly code = 'invalid_credentials';
  readonly status = 401;
  constructor() {
    super('Email or password is incorrect.');
  }
}

/** RFC 6750 §3.1: a bearer credential that is missing, malformed, unknown or revoked (401), or lacks a scope (403). */
export class BearerError extends DomainError {
  readonly status: 401 | 403;
  constructor(
    readonly code: 'invalid_token' | 'insufficient_scope',
    message: string,
    /** Absent credentials get a challenge without an error code (RFC 6750 §3.1). */
    readonly bare = false,
    readonly scope?: string,
  ) {
    super(message);
    this.status = code === 'insufficient_scope' ? 403 : 401;
  }
}
