import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, TooManyAttemptsError, ValidationError } from '../lib/errors.js';
import { html } from './html.js';
import { sendPage } from './layout.js';

interface Described {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

const CSRF_MESSAGE =
  'This form has expired or was sent from another site. Go back, reload the page and try again.';

// Errors raised by the framework (body parsing, routing) get stable codes by status.
const FRAMEWORK_CODES: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Maps any thrown error to a status, a stable code and a message safe to show; the one mapping. */
export function describeError(error: unknown): Described {
  if (error instanceof ValidationError) {
    return { status: 400, code: error.code, message: 'Some fields are invalid.', fields: error.fields };
  }
  if (error instanceof DomainError) return { status: error.status, code: error.code, message: error.message };
  const e = error as Partial<FastifyError>;
  if (e.code === 'FST_ERR_VALIDATION' && Array.isArray(e.validation)) {
    const fields: Record<string, string> = {};
    for (const v of e.validation) {
      const field = v.instancePath.split('/').filter(Boolean)[0] ?? e.validationContext ?? 'body';
      fields[field] ??= v.message ?? 'is invalid';
    }
    return { status: 400, code: 'invalid_request', message: 'Some fields are invalid.', fields };
  }
  if (e.code === 'FST_CSRF_INVALID_TOKEN' || e.code === 'FST_CSRF_MISSING_SECRET') {
    return { status: 403, code: 'csrf_failed', message: CSRF_MESSAGE };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return {
      status: e.statusCode,
      code: FRAMEWORK_CODES[e.statusCode] ?? 'invalid_request',
      message: e.message ?? 'Bad request',
    };
  }
  return { status: 500, code: 'internal_error', message: 'Something went wrong on our side.' };
}

function logIfServerError(request: FastifyRequest, error: unknown, status: number) {
  if (status >= 500) request.log.error({ err: error }, 'request failed');
}

/** Error handler for browser pages: an error page with the status, never a stack trace. */
export function pageErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const d = describeError(error);
  logIfServerError(request, error, d.status);
  if (error instanceof TooManyAttemptsError) reply.header('retry-after', String(error.retryAfterSeconds));
  const details = d.fields ? Object.entries(d.fields).map(([k, v]) => html`<li>${k}: ${v}</li>`) : [];
  return sendPage(request, reply, {
    status: d.status,
    title: d.status === 404 ? 'Not found' : 'Something went wrong',
    body: html`<div class="card narrow" role="alert">
      <h1>${d.status === 404 ? 'Page not found' : d.status >= 500 ? 'Something went wrong' : 'We could not do that'}</h1>
      <p>${d.status === 404 ? 'The page you asked for does not exist or you do not have access to it.' : d.message}</p>
      ${details.length ? html`<ul>${details}</ul>` : ''}
      <p><a href="/">Go to the start page</a></p>
    </div>`,
  });
}

/** Error handler for JSON APIs: RFC 9457 problem details with the stable code and field errors. */
export function problemErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const d = describeError(error);
  logIfServerError(request, error, d.status);
  if (error instanceof TooManyAttemptsError) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply
    .status(d.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({
      type: 'about:blank',
      title: d.message,
      status: d.status,
      code: d.code,
      ...(d.fields ? { errors: d.fields } : {}),
    });
}
