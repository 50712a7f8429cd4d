import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CredentialsService, Principal } from '../credentials/service.js';
import type { TokenKind } from '../db/schema.js';
import { BearerError } from '../lib/errors.js';
import type { Admit } from './admission.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** The bearer token of a request (RFC 6750 §2.1), or undefined when there is none. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || header.length < 8 || header.length > 200) return undefined;
  if (header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim();
}

const UNUSABLE = 'The access token is malformed, unknown or revoked.';

/**
 * The one credential check: header → format and checksum → cache → one indexed lookup. An
 * onRequest hook, so a request is authenticated before its body is read or validated; it accepts
 * the given kinds of credential and fails with a BearerError (RFC 6750 §3.1) otherwise. A cached
 * answer completes the hook at once (no promise on the hot path); a miss waits for the lookup.
 * `admit` runs after a credential is accepted (the protected API's rate limit).
 */
export function bearerAuth(credentials: CredentialsService, kinds: readonly TokenKind[], admit?: Admit) {
  const accept = (
    request: FastifyRequest,
    reply: FastifyReply,
    principal: Principal | null | undefined,
    done: (err?: Error) => void,
  ) => {
    if (!principal || !kinds.includes(principal.kind))
      return done(new BearerError('invalid_token', UNUSABLE));
    request.principal = principal;
    // After authentication: a bad credential is a 401, never a 429.
    if (admit === undefined) return done();
    admit(principal, reply, done);
  };
  return (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    const token = bearerToken(request);
    // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
    if (token === undefined) {
      const sent = request.headers.authorization !== undefined;
      return done(new BearerError('invalid_token', sent ? UNUSABLE : 'A bearer token is required.', !sent));
    }
    const answer = credentials.check(token);
    if (!(answer instanceof Promise)) return accept(request, reply, answer, done);
    answer.then((principal) => accept(request, reply, principal, done), done);
  };
}

/** The principal of a request behind bearerAuth. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf used on a route without bearerAuth');
  return request.principal;
}
