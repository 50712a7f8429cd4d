import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/service.js';
import { NotFoundError } from '../lib/errors.js';
import { viewerOf } from '../web/viewer.js';

/**
 * Every /admin page is for platform admins only: anyone else gets the ordinary 404 page, so the
 * area does not announce itself. Each service still asks `policy.authorizePlatform`, which reads
 * the database: a revoked admin whose session still says otherwise is refused there.
 */
export function adminOnly(app: FastifyInstance) {
  app.addHook('preHandler', async (request) => {
    if (!request.viewer?.session.user.platformAdmin) throw new NotFoundError('Page');
  });
}

/** The signed-in platform admin as an audited actor. */
export function adminActor(request: FastifyRequest): Actor & { kind: 'user' } {
  const { user } = viewerOf(request).session;
  return { kind: 'user', userId: user.id, label: user.email };
}
