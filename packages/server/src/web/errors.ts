import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  BearerError,
  DomainError,
  type ErrorCode,
  type FieldIssues,
  RateLimitedError,
  TooManyAttemptsError,
  ValidationError,
} from '../lib/errors.js';
import { safeReturnTo } from '../lib/urls.js';
import { html } from './html.js';
import { labelOf } from './labels.js';
import { sendPage } from './layout.js';

/** An error as every edge shows it: status, stable code, a message safe to show, headers. */
export interface Described {
  status: number;
  code: ErrorCode;
  message: string;
  fields?: FieldIssues;
  headers: Record<string, string>;
}

const CSRF_MESSAGE =
  'This form has expired or was sent from another site. Go back, reload the page and try again.';

// Errors raised by the framework (body parsing, routing) get stable codes by status.
const FRAMEWORK_CODES: Record<number, ErrorCode> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

/** RFC 6750 §3: the challenge of a protected resource. */
function bearerChallenge(error: BearerError): string {
  if (error.bare) return 'Bearer realm="porter"';
  const scope = error.scope ? `, scope="${error.scope}"` : '';
  // RFC 6750 §3: quoted-string of printable ASCII, without quotes or backslashes.
  const description = error.message.replace(/[^\x20-\x7e]|["\\]/g, '');
  return `Bearer realm="porter", error="${error.code}", error_description="${description}"${scope}`;
}

function headersOf(error: unknown): Record<string, string> {
  if (error instanceof TooManyAttemptsError || error instanceof RateLimitedError)
    return { 'retry-after': String(error.retryAfterSeconds) };
  if (error instanceof BearerError)
    return { 'www-authenticate': bearerChallenge(error), 'cache-control': 'no-store' };
  return {};
}

function validationFields(e: Partial<FastifyError>): FieldIssues {
  const fields: FieldIssues = {};
  for (const v of e.validation ?? []) {
    const field = v.instancePath.split('/').filter(Boolean)[0] ?? e.validationContext ?? 'body';
    fields[field] ??= v.message ?? 'is invalid';
  }
  return fields;
}

/** Maps any thrown error to what is shown: the one mapping, for pages, JSON APIs and bearer APIs. */
export function describeError(error: unknown): Described {
  const headers = headersOf(error);
  if (error instanceof ValidationError) {
    return {
      status: 400,
      code: error.code,
      message: 'Some fields are invalid.',
      fields: error.fields,
      headers,
    };
  }
  if (error instanceof DomainError)
    return { status: error.status, code: error.code, message: error.message, headers };
  const e = error as Partial<FastifyError>;
  if (e.code === 'FST_ERR_VALIDATION' && Array.isArray(e.validation)) {
    const fields = validationFields(e);
    return { status: 400, code: 'invalid_request', message: 'Some fields are invalid.', fields, headers };
  }
  if (e.code === 'FST_CSRF_INVALID_TOKEN' || e.code === 'FST_CSRF_MISSING_SECRET') {
    return { status: 403, code: 'csrf_failed', message: CSRF_MESSAGE, headers };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    const code = FRAMEWORK_CODES[e.statusCode] ?? 'http_error';
    return { status: e.statusCode, code, message: e.message ?? 'Bad request', headers };
  }
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side.', headers };
}

function described(error: unknown, request: FastifyRequest): Described {
  const d = describeError(error);
  if (d.status >= 500) request.log.error({ err: error, reqId: request.id }, 'request failed');
  return d;
}

const PAGE_HEADINGS: Record<number, string> = { 403: 'You cannot do that here', 404: 'Page not found' };

/** Where "Go back" leads on an error page: the same-origin page the person came from, else the start. */
function backLink(request: FastifyRequest): string {
  const referer = request.headers.referer;
  if (!referer) return '/';
  try {
    const url = new URL(referer);
    const own = `${request.protocol}://${request.host}`;
    return url.origin === own ? safeReturnTo(`${url.pathname}${url.search}`) : '/';
  } catch {
    return '/';
  }
}

/** Error handler for browser pages: an error page naming fields by their labels, never a stack trace. */
export function pageErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const d = described(error, request);
  const fields = Object.entries(d.fields ?? {}).map(([k, v]) => html`<li>${labelOf(k)}: ${v}</li>`);
  const notFound = d.status === 404;
  return sendPage(request, reply.headers(d.headers), {
    status: d.status,
    title: notFound ? 'Not found' : 'Something went wrong',
    body: html`<div class="card narrow" role="alert">
      <h1>${PAGE_HEADINGS[d.status] ?? (d.status >= 500 ? 'Something went wrong' : 'We could not do that')}</h1>
      <p>${notFound ? 'The page you asked for does not exist or you do not have access to it.' : d.message}</p>
      ${fields.length ? html`<ul>${fields}</ul>` : ''}
      <p class="actions"><a class="button" href="${backLink(request)}">Go back</a> <a href="/">Start page</a></p>
    </div>`,
  });
}

/**
 * Error handler for JSON APIs: RFC 6750 `{error, error_description}` with its challenge for a
 * bearer failure, RFC 9457 problem details with the stable code and field errors otherwise.
 */
export function apiErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const d = described(error, request);
  reply.status(d.status).headers(d.headers);
  if (error instanceof BearerError) {
    return reply.send({ error: error.code, error_description: error.message });
  }
  return reply.header('content-type', 'application/problem+json; charset=utf-8').send({
    type: 'about:blank',
    title: d.message,
    status: d.status,
    code: d.code,
    ...(d.fields ? { errors: d.fields } : {}),
  });
}

const OAUTH_CODES = new Set<string>([
  'invalid_token',
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
]);

/**
 * Error handler for the OAuth endpoints: RFC 6749 §5.2 `{error, error_description}`, never
 * cached; `invalid_client` after HTTP Basic carries a Basic challenge. Errors that are not
 * OAuth's (a bad body, a rate limit) keep their code in the same shape.
 */
export function oauthErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const d = described(error, request);
  const code =
    OAUTH_CODES.has(d.code) || d.status === 429
      ? d.code
      : d.status >= 500
        ? 'server_error'
        : 'invalid_request';
  reply.status(d.status).headers(d.headers).header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (d.status === 401 && request.headers.authorization?.slice(0, 6).toLowerCase() === 'basic ')
    reply.header('www-authenticate', 'Basic realm="porter"');
  const description = d.fields
    ? Object.entries(d.fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')
    : d.message;
  return reply.send({ error: code, error_description: description });
}
