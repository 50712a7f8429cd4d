import type { FastifyInstance } from 'fastify';
import { principalOf } from '../bearer.js';

/** `GET /v1/me`: which application, acting on which company, with which scopes. */
export function meRoute(app: FastifyInstance) {
  app.get('/v1/me', async (request, reply) => {
    const p = principalOf(request);
    reply.header('cache-control', 'no-store');
    return {
      application: p.appId ? { id: p.appId, name: p.appName } : null,
      company: { id: p.companyId, name: p.companyName },
      scopes: p.scopes,
      credential: p.kind,
    };
  });
}
