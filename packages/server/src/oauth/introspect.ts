import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bearerToken } from '../api/bearer.js';
import { BearerError } from '../lib/errors.js';
import type { Services } from '../services.js';
import { OAuthError } from './errors.js';

const introspection = z.object({
  token: z.string().max(200),
  token_type_hint: z.string().max(64).optional(),
});

/**
 * `POST /oauth/introspect` (RFC 7662) for the operator's resource servers, authenticated by a
 * resource-server credential (`porter resource-server create`) as a bearer token.
 */
export function introspectRoute(app: FastifyInstance, { services }: { services: Services }) {
  app.post('/introspect', async (request, reply) => {
    const secret = bearerToken(request);
    const server = secret ? await services.introspection.authenticateResourceServer(secret) : undefined;
    if (!server)
      throw new BearerError(
        'invalid_token',
        'A resource-server credential (porter_rs_…) is required.',
        !secret,
      );
    const parsed = introspection.safeParse(request.body ?? {});
    if (!parsed.success) throw new OAuthError('invalid_request', 'token is required.');
    return reply
      .header('cache-control', 'no-store')
      .send(await services.introspection.introspect(parsed.data.token));
  });
}
