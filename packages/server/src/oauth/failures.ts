import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../services.js';
import { OAuthError } from './errors.js';

/**
 * Records an OAuth failure that names a real app in its install debugger, under the endpoint
 * that answered. Never fails the answer: a write that fails is logged and the OAuth error goes
 * out unchanged.
 */
export async function recordFailure(request: FastifyRequest, services: Services, error: unknown) {
  if (!(error instanceof OAuthError) || error.failure === undefined) return;
  const endpoint = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
  try {
    await services.installDebugger.record(endpoint, error.code, error.failure);
  } catch (err) {
    request.log.error({ err, reqId: request.id }, 'recording a failed install request failed');
  }
}

/** Records the OAuth failures of every route in this scope (the token endpoints; revoke's client authentication too). */
export function recordFailures(scope: FastifyInstance, services: Services): void {
  scope.addHook('onError', async (request, _reply, error) => recordFailure(request, services, error));
}
