import type { FastifyInstance } from 'fastify';
import { STYLESHEET } from './styles.js';

/** Static assets, held in memory: one stylesheet, cached for a day. */
export function assetRoutes(app: FastifyInstance) {
  app.get('/assets/porter.css', async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(STYLESHEET),
  );
}
