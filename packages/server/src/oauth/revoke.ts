import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../services.js';
import { checkOrigin, clientCredentials, preflight } from './client-auth.js';
import { OAuthError } from './errors.js';

const revocation = z.object({
  token: z.string().max(200).optional(),
  token_type_hint: z.string().max(64).optional(),
  client_id: z.string().max(64).optional(),
  client_secret: z.string().max(200).optional(),
});

/** `POST /oauth/revoke` (RFC 7009): the app revokes a token it holds; 200 whether or not it was live. */
export function revokeRoute(app: FastifyInstance, { services }: { services: Services }) {
  app.options('/revoke', preflight);
  app.post('/revoke', async (request, reply) => {
    const parsed = revocation.safeParse(request.body ?? {});
    if (!parsed.success) throw new OAuthError('invalid_request', 'Every parameter is a short string.');
    const client = await services.tokens.authenticate(clientCredentials(request, parsed.data), request.ip);
    checkOrigin(client, request, reply);
    if (!parsed.data.token) throw new OAuthError('invalid_request', 'token is required.');
    await services.tokens.revoke(client, parsed.data.token);
    return reply.header('cache-control', 'no-store').send({});
  });
}
