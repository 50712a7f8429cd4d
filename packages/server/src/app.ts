import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

import { accountPages } from './accounts/pages/account.js';
import { homePages } from './accounts/pages/home.js';
import { invitationPages } from './accounts/pages/invitation.js';
import { membersPages } from './accounts/pages/members.js';
import { passwordResetPages } from './accounts/pages/password.js';
import { signInPages } from './accounts/pages/sign-in.js';
import { registrationPages } from './accounts/pages/sign-up.js';
import { testCompanyPages } from './accounts/pages/test-companies.js';
import { adminRoutes } from './admin/routes.js';
import { admission } from './api/admission.js';
import { forwardAuthRoute } from './api/forward-auth.js';
import { graphqlRoutes } from './api/graphql/route.js';
import { rateLimiter } from './api/rate-limit.js';
import { meRoute } from './api/v1/me.js';
import { resourceRoutes } from './api/v1/resources.js';
import { developerApiRoutes } from './apps/api.js';
import { appActions } from './apps/pages/app-actions.js';
import { appPages } from './apps/pages/app-page.js';
import { listingImageRoute, listingPages } from './apps/pages/listing.js';
import { newAppPages } from './apps/pages/new-app.js';
import { portalPages } from './apps/pages/portal.js';
import { listingApiRoutes } from './apps/review/api.js';
import { notifyVisitorsApi, notifyVisitorsPages } from './compat/notifyvisitors.js';
import { teamworkApi, teamworkPages } from './compat/teamwork.js';
import type { Config } from './config.js';
import { developerTokenPages } from './credentials/pages.js';
import type { Database } from './db/database.js';
import { installedAppsPages } from './installations/pages.js';
import { marketplaceApiRoutes } from './marketplace/api.js';
import { marketplacePages } from './marketplace/pages.js';
import { authorizeRoutes } from './oauth/authorize.js';
import { consentRoutes } from './oauth/consent.js';
import { recordFailures } from './oauth/failures.js';
import { introspectRoute } from './oauth/introspect.js';
import { metadataRoute } from './oauth/metadata.js';
import { revokeRoute } from './oauth/revoke.js';
import { tokenRoute } from './oauth/token.js';
import { metricsRoutes } from './ops/metrics.js';
import { connectRedis } from './ops/redis.js';
import { opsRoutes } from './ops/routes.js';
import type { Services } from './services.js';
import { assetRoutes } from './web/assets.js';
import { apiErrorHandler } from './web/errors.js';
import {
  ERROR_HANDLERS,
  headerSets,
  type KindOptions,
  kindOfUrl,
  ROUTE_KINDS,
  registerKind,
} from './web/kinds.js';
import { accessLog, createLogger, type Logging } from './web/logging.js';
import { DOCS_STYLESHEET } from './web/styles.js';
import { webhookApiRoutes } from './webhooks/api.js';
import { webhookActions } from './webhooks/pages.js';

export interface AppOptions {
  config: Config;
  db: Database;
  /** The process's services, built once at the composition root (main.ts, the test helper). */
  services: Services;
  /** Where logs go (a test passes a stream to read them); stdout when absent. */
  logStream?: NodeJS.WritableStream;
  /** The process's logger, when the composition root made one already (it also carries mail without SMTP). */
  logger?: Logging;
}

function trustProxy(config: Config) {
  const hops = config.trustProxy;
  return typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : hops;
}

/** The OpenAPI document of the developer API and the protected API, and its browsable /docs. */
async function apiDocs(app: FastifyInstance, config: Config) {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Porter API',
        version: '1',
        description: `The developer API and the protected API of Porter. [Back to Porter](${config.publicUrl}/).`,
      },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          personalToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'A developer token (porter_pt_…) from the developer portal',
          },
          appToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key (porter_ak_…) or an access token (porter_at_…)',
          },
        },
      },
    },
    // Pages, assets and health checks are not the API: only tagged routes are published.
    hideUntagged: true,
    transform: jsonSchemaTransform,
  });
}

/** Swagger UI at /docs: the docs of this Porter only, readable by everyone (axe-checked). */
async function docsUi(scope: FastifyInstance) {
  await scope.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // No top bar (its logo, "Explore" box of any spec URL) and no servers menu.
    uiConfig: { docExpansion: 'list', deepLinking: false, layout: 'BaseLayout' },
    transformSpecification: (spec) => ({ ...(spec as Record<string, unknown>), servers: undefined }),
    theme: { title: 'Porter API docs', css: [{ filename: 'porter-docs.css', content: DOCS_STYLESHEET }] },
    // Swagger UI sets inline styles, so /docs alone allows them; it shows no user content.
    transformStaticCSP: (csp) =>
      csp
        .replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'")
        .replace(/frame-ancestors [^;]*/, "frame-ancestors 'none'")
        .replace(/;?\s*upgrade-insecure-requests;?/, ';'),
  });
}

/** Every page: accounts, the developer portal, the install flow and the seeds' start URLs. */
function pageRoutes(pages: FastifyInstance, config: Config, services: Services) {
  const deps = { config, ...services };
  signInPages(pages, deps);
  registrationPages(pages, deps);
  passwordResetPages(pages, deps);
  invitationPages(pages, deps);
  homePages(pages, deps);
  accountPages(pages, deps);
  membersPages(pages, deps);
  portalPages(pages, deps);
  newAppPages(pages, deps);
  appPages(pages, deps);
  appActions(pages, deps);
  listingPages(pages, deps);
  webhookActions(pages, deps);
  developerTokenPages(pages, deps);
  testCompanyPages(pages, deps);
  authorizeRoutes(pages, { config, services });
  consentRoutes(pages, { config, services });
  installedAppsPages(pages, deps);
  marketplacePages(pages, deps);
  teamworkPages(pages, { config, services });
  notifyVisitorsPages(pages, { config, services });
  void adminRoutes(pages, deps);
}

/**
 * The protected API's admission (rate limit, daily call count), built once for its scopes; the
 * Redis connection is closed and the last counts are written when the app closes.
 */
function protectedApiAdmission(app: FastifyInstance, config: Config, services: Services) {
  const redis = config.redisUrl ? connectRedis(config.redisUrl, app.log) : undefined;
  const limiter = config.rateLimit ? rateLimiter(config.rateLimit, redis, config.redisPrefix) : undefined;
  services.usage.start((err) => app.log.error({ err }, 'writing the API call counts failed'));
  app.addHook('onClose', async () => {
    // A shutdown goes on when the last counts cannot be written (the database is gone).
    await services.usage
      .stop()
      .catch((err) => app.log.error({ err }, 'writing the last API call counts failed'));
    // QUIT lets Redis close the connection; when Redis is unreachable, just drop it.
    await redis?.quit().catch(() => redis.disconnect());
  });
  return admission(limiter, services.signals);
}

/** This process sends webhooks while it serves; on close it finishes the deliveries in flight. */
function webhookSender(app: FastifyInstance, services: Services) {
  services.webhooks.start((err, message) => app.log.error({ err }, message));
  app.addHook('onClose', () => services.webhooks.stop());
}

type KindBase = Omit<KindOptions, 'routes' | 'prefix'>;

/** The JSON APIs: the protected API (REST, forward-auth, GraphQL) and the developer API. */
async function apiKinds(app: FastifyInstance, kind: KindBase, config: Config) {
  const { services } = kind;
  await registerKind(app, 'bearerApi', {
    ...kind,
    routes: (api) => {
      meRoute(api, services);
      resourceRoutes(api, services);
    },
  });
  // Forward-auth for the operator's proxy: the bearer API's check, at /auth/check.
  await registerKind(app, 'bearerApi', { ...kind, prefix: '/auth', routes: forwardAuthRoute });
  // GraphQL at /graphql: the same check, errors in GraphQL's shape.
  await registerKind(app, 'bearerApi', {
    ...kind,
    prefix: '',
    routes: (gql) => graphqlRoutes(gql, services),
  });
  await registerKind(app, 'developerApi', {
    ...kind,
    routes: (api) => {
      developerApiRoutes(api, { config, apps: services.apps, installDebugger: services.installDebugger });
      webhookApiRoutes(api, services);
      listingApiRoutes(api, { config, ...services });
    },
  });
}

/** The authorization server's JSON endpoints, and the seeds' token endpoints at their own paths. */
async function oauthKinds(app: FastifyInstance, kind: KindBase, config: Config) {
  const { services } = kind;
  await registerKind(app, 'oauth', {
    ...kind,
    routes: (oauth) => {
      // Refused token requests of a real app go to its install debugger.
      recordFailures(oauth, services);
      tokenRoute(oauth, { services });
      revokeRoute(oauth, { services });
      introspectRoute(oauth, { services });
    },
  });
  // The seeds' token endpoints: the same OAuth kind, at their own paths.
  await registerKind(app, 'oauth', {
    ...kind,
    prefix: '',
    routes: (seeds) => {
      recordFailures(seeds, services);
      teamworkApi(seeds, { config, services });
      notifyVisitorsApi(seeds, { services });
    },
  });
}

/** The kinds' scopes and their routes; each route is declared once, in its kind. */
async function routes(app: FastifyInstance, { config, db, services }: AppOptions, https: boolean) {
  const kind = { services, https, admit: protectedApiAdmission(app, config, services) };
  webhookSender(app, services);
  await registerKind(app, 'ops', {
    ...kind,
    routes: async (ops) => {
      assetRoutes(ops);
      listingImageRoute(ops, services);
      metadataRoute(ops, { config });
      opsRoutes(ops, { db });
      // The marketplace as JSON: public like the pages, so outside the bearer API's scope.
      marketplaceApiRoutes(ops, { config, marketplace: services.marketplace });
      ops.get('/openapi.json', async () => app.swagger());
      await docsUi(ops);
    },
  });
  await apiKinds(app, kind, config);
  await oauthKinds(app, kind, config);
  await registerKind(app, 'page', { ...kind, routes: (pages) => pageRoutes(pages, config, services) });
}

/** Builds the HTTP app over the given services: plugins first, then each kind's routes. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, logStream } = options;
  const https = config.publicUrl.startsWith('https:');
  const headers = headerSets(https);
  const logging = options.logger ?? createLogger(config.logLevel, logStream);
  const { log } = logging;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // One access line per request (accessLog), from the root logger: no per-request child logger.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger) => logger,
    trustProxy: trustProxy(config),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
    // Errors before routing (a malformed or over-long URL) render as the URL's kind would.
    frameworkErrors: (error, request, reply) => {
      const kind = kindOfUrl(request.url);
      reply.headers(headers[ROUTE_KINDS[kind].headers]);
      return ERROR_HANDLERS[ROUTE_KINDS[kind].errors](
        error,
        request as FastifyRequest,
        reply as FastifyReply,
      );
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(apiErrorHandler);
  accessLog(app, logging);
  // Before the routes: the request histogram attaches itself to each route as it is declared.
  metricsRoutes(app, config, options.services.signals);
  await apiDocs(app, config);
  await routes(app, options, https);
  return app;
}
