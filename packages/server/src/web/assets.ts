import type { FastifyInstance } from 'fastify';
import { SCRIPT, STYLESHEET } from './styles.js';

/** Static assets, held in memory: one stylesheet and one small script, cached for an hour. */
export function assetRoutes(app: FastifyInstance) {
  const serve = (path: string, type: string, body: string) =>
    app.get(path, async (_request, reply) =>
      reply
        .header('content-type', `${type}; charset=utf-8`)
        .header('cache-control', 'public, max-age=3600')
        .send(body),
    );
  serve('/assets/porter.css', 'text/css', STYLESHEET);
  serve('/assets/porter.js', 'text/javascript', SCRIPT);
}
