import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { principalOf } from './bearer.js';
import { bearerError } from './error-schemas.js';
import { checkScope } from './scopes.js';

/** The header the proxy sets to name the scopes a location requires (space- or comma-separated). */
export const SCOPE_HEADER = 'x-porter-scope';

const headers = z.looseObject({
  [SCOPE_HEADER]: z
    .string()
    .max(1000)
    .optional()
    .describe('Scopes the protected location requires, all of them; none: any valid credential'),
});

/**
 * `GET /auth/check`: forward authentication for a proxy in front of an existing API (nginx
 * `auth_request`, Traefik `forwardAuth`, Envoy `ext_authz`). The kind's bearer check answers 401
 * first; then every scope the proxy names must be granted (403 otherwise, RFC 6750 §3.1). A 200
 * names who is calling in headers for the proxy to pass upstream; it has no body.
 */
export function forwardAuthRoute(app: FastifyInstance) {
  app.get(
    '/check',
    {
      schema: {
        tags: ['Protected API'],
        security: [{ appToken: [] }],
        summary: 'Forward-auth for a proxy: 200 with X-Porter-* headers naming the caller, or 401/403',
        headers,
        response: {
          200: z.null().describe('No body: the headers say who is calling'),
          401: bearerError,
          403: bearerError,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const required = String(request.headers[SCOPE_HEADER] ?? '')
        .split(/[\s,]+/)
        .filter(Boolean);
      for (const scope of required) checkScope(p, scope);
      reply.headers({
        'x-porter-company': p.companyId,
        'x-porter-credential': p.kind,
        'x-porter-scopes': p.scopes.join(' '),
      });
      if (p.appId) reply.header('x-porter-app', p.appId);
      if (p.installationId) reply.header('x-porter-installation', p.installationId);
      return reply.status(200).send();
    },
  );
}
