import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Principal } from '../credentials/service.js';
import { BearerError } from '../lib/errors.js';
import { principalOf } from './bearer.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a bearer route requires (declared with `requiresScope`). */
    scope?: string;
  }
}

/** RFC 6750 §3.1: a valid credential without the scope a resource needs gets 403 naming it. */
export function checkScope(principal: Principal, scope: string): void {
  if (!principal.scopes.includes(scope))
    throw new BearerError('insufficient_scope', `This request needs the ${scope} scope.`, false, scope);
}

const scopeHook: onRequestHookHandler = (request: FastifyRequest, _reply, done) => {
  const scope = request.routeOptions.config.scope;
  try {
    if (scope !== undefined) checkScope(principalOf(request), scope);
  } catch (error) {
    return done(error as Error);
  }
  done();
};

/**
 * Route options declaring the scope a bearer route requires, with the one hook that checks it.
 * It runs on that route only, right after the kind's bearer check and before the body is read,
 * so a missing scope is a 403 whatever the body; routes without a scope pay nothing.
 */
export function requiresScope(scope: string) {
  return { config: { scope }, onRequest: scopeHook };
}
