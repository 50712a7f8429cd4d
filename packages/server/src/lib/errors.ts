// Domain errors: thrown by services, mapped to HTTP once (web/errors.ts for pages and JSON),
// and to exit codes by the CLI. Each carries a stable `code` listed in docs/errors.md.

export type FieldIssues = Record<string, string>;

export abstract class DomainError extends Error {
  abstract readonly code: string;
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

export class TooManyAttemptsError extends DomainError {
  readonly code = 'too_many_attempts';
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s).`);
  }
}

export class InvalidCredentialsError extends DomainError {
  readonly code = 'invalid_credentials';
  readonly status = 401;
  constructor() {
    super('Email or password is incorrect.');
  }
}
