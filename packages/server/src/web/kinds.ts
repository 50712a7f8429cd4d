import fastifyFormbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Admit, countCalls } from '../api/admission.js';
import { bearerAuth } from '../api/bearer.js';
import type { Services } from '../services.js';
import { apiErrorHandler, oauthErrorHandler, pageErrorHandler } from './errors.js';
import { pagePlugins } from './page-kind.js';
import { securityHeaderValues } from './security-headers.js';

/**
 * The kinds of route. Each route is declared once, inside its kind's scope, and the kind alone
 * decides who may call it (authenticated before the body is read), how its errors render, which
 * security headers it gets, whether CSRF applies, and what its unknown URLs answer.
 */
export type RouteKind = 'page' | 'developerApi' | 'bearerApi' | 'oauth' | 'ops';

interface KindRules {
  /** URL prefix of its routes (registration adds it); its unknown URLs get its 404. */
  prefix: string;
  /** Pages get the full header set; JSON APIs the short one browsers need for JSON. */
  headers: 'page' | 'api';
  errors: 'page' | 'api' | 'oauth';
  /** Whether unknown URLs under `prefix` answer with this kind's 404. */
  notFound: boolean;
}

export const ROUTE_KINDS: Record<RouteKind, KindRules> = {
  page: { prefix: '', headers: 'page', errors: 'page', notFound: true },
  developerApi: { prefix: '/developer/v1', headers: 'api', errors: 'api', notFound: true },
  bearerApi: { prefix: '/v1', headers: 'api', errors: 'api', notFound: true },
  // The authorization server's JSON endpoints (token, revoke, introspect): RFC 6749 §5.2
  // errors, form or JSON bodies, client authentication in the handler. The authorization
  // endpoint itself is a page.
  oauth: { prefix: '/oauth', headers: 'api', errors: 'oauth', notFound: true },
  // Health, readiness, assets and the API docs: no credentials, JSON errors.
  ops: { prefix: '', headers: 'page', errors: 'api', notFound: false },
};

/** The kind a URL belongs to, for errors raised before routing (a malformed or over-long URL). */
export function kindOfUrl(url: string): RouteKind {
  for (const kind of ['developerApi', 'bearerApi', 'oauth'] as const) {
    const { prefix } = ROUTE_KINDS[kind];
    if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) return kind;
  }
  return 'page';
}

/** The security headers of each kind, computed once. */
export function headerSets(https: boolean): Record<'page' | 'api', Record<string, string>> {
  const page = securityHeaderValues({ https });
  const api: Record<string, string> = {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    // Every JSON answer names a company's data or a credential: no cache may keep it.
    'cache-control': 'no-store',
  };
  if (https) api['strict-transport-security'] = page['strict-transport-security'] ?? '';
  return { page, api };
}

export interface KindOptions {
  services: Services;
  https: boolean;
  /** Another prefix for a second scope of the kind (the seeds' endpoints); it has no 404 of its own. */
  prefix?: string;
  /** What the protected API does after accepting a credential (rate limit, call count). */
  admit?: Admit;
  /** Registers the kind's routes on its scope. */
  routes: (scope: FastifyInstance) => void | Promise<void>;
}

export const ERROR_HANDLERS = { page: pageErrorHandler, api: apiErrorHandler, oauth: oauthErrorHandler };

function notFound(): FastifyError {
  return Object.assign(new Error('Not found'), { statusCode: 404, code: 'not_found' }) as FastifyError;
}

/** Registers one kind's scope: its headers, authentication, error rendering and 404, then its routes. */
export async function registerKind(app: FastifyInstance, kind: RouteKind, opts: KindOptions) {
  const rules = ROUTE_KINDS[kind];
  const headers = headerSets(opts.https)[rules.headers];
  const onError = ERROR_HANDLERS[rules.errors];
  await app.register(
    async (scope) => {
      // One onRequest hook per kind: the security headers, then (for the two bearer kinds) the
      // credential check. On the protected API each hook the request passes costs measurably.
      const auth =
        kind === 'bearerApi'
          ? bearerAuth(opts.services.credentials, ['api_key', 'access_token'], opts.admit)
          : kind === 'developerApi'
            ? bearerAuth(opts.services.credentials, ['personal_token'])
            : undefined;
      scope.addHook(
        'onRequest',
        auth === undefined
          ? (_request, reply, done) => {
              reply.headers(headers);
              done();
            }
          : (request, reply, done) => {
              reply.headers(headers);
              auth(request, reply, done);
            },
      );
      if (kind === 'page') await pagePlugins(scope, opts);
      if (kind === 'oauth') await scope.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
      if (auth !== undefined)
        // Declared before any request sets it: every request object keeps one shape.
        scope.decorateRequest('principal', undefined);
      // Counted once answered, by status class (the app page's API-call chart), and each
      // credential's last use noted (developer tokens too).
      if (auth !== undefined) scope.addHook('onResponse', countCalls(opts.services.usage));
      if (kind === 'bearerApi') {
        // The response schemas document the API; on the hot path answers are not re-validated.
        scope.setSerializerCompiler(() => (data) => JSON.stringify(data));
      }
      scope.setErrorHandler(onError);
      if (rules.notFound && opts.prefix === undefined)
        scope.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) =>
          onError(notFound(), request, reply),
        );
      await opts.routes(scope);
    },
    { prefix: opts.prefix ?? rules.prefix },
  );
}
