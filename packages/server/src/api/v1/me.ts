import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { installationSchema } from '../../installations/schemas.js';
import type { InstallationsService } from '../../installations/service.js';
import { principalOf } from '../bearer.js';
import { bearerError } from '../error-schemas.js';

const me = z.object({
  application: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  company: z.object({ id: z.string(), name: z.string() }),
  scopes: z.array(z.string()),
  credential: z.enum(['api_key', 'access_token', 'personal_token']),
  installation: installationSchema.optional(),
});

/** `GET /v1/me`: which application, acting on which company, with which scopes. */
export function meRoute(app: FastifyInstance, { installations }: { installations: InstallationsService }) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/me',
    {
      schema: {
        tags: ['Protected API'],
        security: [{ appToken: [] }],
        summary: 'The application, the company and the scopes behind the bearer credential',
        response: { 200: me, 401: bearerError },
      },
    },
    // Not async: an API key's answer is sent at once, without a promise; an access token's
    // waits for its installation (cached like the bearer check).
    (request, reply) => {
      const p = principalOf(request);
      const me = {
        application: p.appId ? { id: p.appId, name: p.appName } : null,
        company: { id: p.companyId, name: p.companyName },
        scopes: p.scopes,
        credential: p.kind,
      };
      if (!p.installationId) {
        reply.send(me);
        return;
      }
      return installations
        .find(p.installationId)
        .then((installation) => (installation ? { ...me, installation } : me));
    },
  );
}
