import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CredentialsService, Principal } from '../credentials/service.js';
import type { TokenKind } from '../db/schema.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

// RFC 6750 §3: the challenge a protected resource answers with.
function challenge(
  reply: FastifyReply,
  status: 401 | 403,
  error?: 'invalid_token' | 'insufficient_scope',
  description?: string,
  scope?: string,
) {
  const parts = ['Bearer realm="porter"'];
  if (error) parts.push(`error="${error}"`);
  if (description) parts.push(`error_description="${description}"`);
  if (scope) parts.push(`scope="${scope}"`);
  return reply
    .status(status)
    .header('www-authenticate', parts.join(', '))
    .header('cache-control', 'no-store')
    .send({
      error: error ?? 'invalid_token',
      error_description: description ?? 'A bearer token is required.',
    });
}

/** The bearer token of a request (RFC 6750 §2.1), or undefined when there is none. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || header.length < 8 || header.length > 200) return undefined;
  if (header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim();
}

/**
 * The one credential check: header → format and checksum → one indexed lookup. A preHandler
 * that accepts the given kinds of credential and answers 401 per RFC 6750 otherwise.
 */
export function requireBearer(credentials: CredentialsService, kinds: readonly TokenKind[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request);
    // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
    if (token === undefined)
      return challenge(reply, 401, request.headers.authorization ? 'invalid_token' : undefined);
    const principal = await credentials.authenticate(token);
    if (!principal || !kinds.includes(principal.kind)) {
      return challenge(reply, 401, 'invalid_token', 'The access token is malformed, unknown or revoked.');
    }
    request.principal = principal;
  };
}

/** A preHandler after requireBearer: 403 insufficient_scope unless the token carries `scope` (RFC 6750 §3.1). */
export function requireScope(scope: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.principal?.scopes.includes(scope)) {
      return challenge(reply, 403, 'insufficient_scope', `This endpoint needs the ${scope} scope.`, scope);
    }
  };
}

/** The principal of a request behind requireBearer. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf used on a route without requireBearer');
  return request.principal;
}
