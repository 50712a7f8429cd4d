import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { accountRoutes } from './accounts/routes.js';
import { AccountsService } from './accounts/service.js';
import { SessionsService } from './accounts/sessions.js';
import { requireBearer } from './api/bearer.js';
import { meRoute } from './api/v1/me.js';
import { developerApiRoutes } from './apps/api.js';
import { portalRoutes } from './apps/pages.js';
import { AppsService } from './apps/service.js';
import type { Config } from './config.js';
import { CredentialCache } from './credentials/cache.js';
import { CredentialsService } from './credentials/service.js';
import type { Database } from './db/database.js';
import { opsRoutes } from './ops/routes.js';
import { assetRoutes } from './web/assets.js';
import { pageErrorHandler, problemErrorHandler } from './web/errors.js';
import { loggerOptions } from './web/logging.js';
import { securityHeaders, securityHeaderValues } from './web/security-headers.js';
import { loadViewer } from './web/viewer.js';

export interface AppOptions {
  config: Config;
  db: Database;
  /** Where logs go (a test passes a stream to read them); stdout when absent. */
  logStream?: NodeJS.WritableStream;
}

export interface Services {
  accounts: AccountsService;
  sessions: SessionsService;
  apps: AppsService;
  credentials: CredentialsService;
}

/** Builds the services over one database; pages, the JSON API and the CLI share them. */
export function buildServices(config: Config, db: Database): Services {
  const credentialCache = new CredentialCache();
  return {
    accounts: new AccountsService(db),
    sessions: new SessionsService(db, config),
    apps: new AppsService(db, config, credentialCache),
    credentials: new CredentialsService(db, credentialCache),
  };
}

const API_PREFIXES = ['/v1/', '/developer/', '/oauth/', '/healthz', '/readyz'];

/** Builds the HTTP app: plugins first, then each area's routes. */
export async function buildApp({ config, db, logStream }: AppOptions): Promise<FastifyInstance> {
  const services = buildServices(config, db);
  const secure = config.publicUrl.startsWith('https:');
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), ...(logStream ? { stream: logStream } : {}) },
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    // Router errors (a malformed URL) get the same security headers and problem JSON as the rest.
    frameworkErrors: (error, request, reply) => {
      reply.headers(securityHeaderValues({ https: secure }));
      return problemErrorHandler(error, request as FastifyRequest, reply as FastifyReply);
    },
  });

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'porter_csrf',
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure },
  });
  app.addHook('onRequest', securityHeaders({ https: secure }));

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Porter API',
        version: '1',
        description: 'The developer API and the protected API of Porter.',
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          personalToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'A personal token (porter_pt_…) from the developer portal',
          },
          appToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key (porter_ak_…) or an access token (porter_at_…)',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI sets inline styles, so /docs alone allows them; it shows no user content.
    transformStaticCSP: (csp) =>
      csp
        .replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'")
        .replace(/frame-ancestors [^;]*/, "frame-ancestors 'none'")
        .replace(/;?\s*upgrade-insecure-requests;?/, ';'),
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.setErrorHandler(problemErrorHandler);
  app.setNotFoundHandler((request, reply) => {
    const isApi = API_PREFIXES.some((p) => request.url.startsWith(p));
    const error = Object.assign(new Error('Not found'), { statusCode: 404, code: 'not_found' });
    return isApi ? problemErrorHandler(error, request, reply) : pageErrorHandler(error, request, reply);
  });

  assetRoutes(app);
  opsRoutes(app, { db });

  // The protected API: API keys and access tokens, one company each.
  await app.register(async (api) => {
    api.addHook('preHandler', requireBearer(services.credentials, ['api_key', 'access_token']));
    meRoute(api);
  });

  await app.register(async (developer) => developerApiRoutes(developer, { config, ...services }));

  // Browser pages: session cookie, CSRF on every POST, HTML error pages.
  await app.register(async (pages) => {
    pages.decorateRequest('viewer', undefined);
    pages.setErrorHandler(pageErrorHandler);
    pages.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'POST') return pages.csrfProtection(request, reply, done);
      done();
    });
    pages.addHook('preHandler', loadViewer(services.sessions, services.accounts));
    accountRoutes(pages, { config, ...services });
    portalRoutes(pages, { config, ...services });
  });

  return app;
}
