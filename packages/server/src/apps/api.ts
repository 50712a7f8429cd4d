import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../api/bearer.js';
import { bearerError, problem } from '../api/error-schemas.js';
import { type Actor, auditEventView } from '../audit/service.js';
import type { Config } from '../config.js';
import type { InstallDebugger } from '../debugger/service.js';
import { appFields, distribution } from './schemas.js';
import type { AppsService } from './service.js';

interface Deps {
  config: Config;
  apps: AppsService;
  installDebugger: InstallDebugger;
}

const appView = z.object({
  id: z.string(),
  company_id: z.string(),
  name: z.string(),
  description: z.string(),
  logo_url: z.string().nullable(),
  homepage_url: z.string().nullable(),
  webhook_url: z.string().nullable(),
  scopes: z.array(z.string()),
  redirect_urls: z.array(z.string()),
  allowed_origins: z.array(z.string()),
  status: z.enum(['private', 'unlisted', 'in_review', 'published', 'rejected', 'suspended', 'deleted']),
  client_id: z.string().nullable(),
  distribution_url: z.string().nullable(),
  api_key_last_used_at: z
    .string()
    .nullable()
    .describe('When the API key last authenticated a call (to the minute)'),
  client_secret_last_used_at: z
    .string()
    .nullable()
    .describe('When the client secret last authenticated the app (to the minute)'),
  previous_client_secret: z
    .object({ expires_at: z.string(), last_used_at: z.string().nullable() })
    .nullable()
    .describe('The previous client secret while it still works after a regeneration'),
  created_at: z.string(),
  updated_at: z.string(),
});

export const params = z.object({ id: z.string().max(64).describe('The app id, app_…') });
const errors = { 400: problem, 401: bearerError, 403: problem, 404: problem, 409: problem };

const auditEvent = z.object({
  action: z.string(),
  actor: z.string(),
  created_at: z.string(),
  details: z.record(z.string(), z.unknown()),
});

/** OpenAPI descriptions for one tag of the developer API: its security and error answers, plus each route's own. */
export function docFor(tag: string) {
  return <T extends { response: Record<number, z.ZodType> }>(summary: string, schema: T) => ({
    schema: {
      tags: [tag],
      security: [{ personalToken: [] }],
      summary,
      ...schema,
      response: { ...errors, ...schema.response },
    },
  });
}

const doc = docFor('Apps');

/** Who calls the developer API: the personal token's user, acting on its company. */
export function actorOf(request: FastifyRequest): { actor: Actor; companyId: string } {
  const p = principalOf(request);
  return {
    actor: { kind: 'user', userId: p.userId ?? '', label: p.userEmail ?? 'api' },
    companyId: p.companyId,
  };
}

/**
 * The developer JSON API, registered under `/developer/v1` as the developerApi kind (a personal
 * token, checked before the body is read; no-store answers). The body schemas are the service's
 * own rules, so /openapi.json publishes the real limits.
 */
export function developerApiRoutes(app: FastifyInstance, deps: Deps) {
  appRoutes(app, deps);
  auditRoute(app, deps);
  debuggerRoute(app, deps);
  credentialRoutes(app, deps);
  clientSecretRoutes(app, deps);
}

/** List, create, read, change and delete apps. */
function appRoutes(app: FastifyInstance, { config, apps }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const fields = appFields(config.scopes, config.webhooks.allowPrivate);

  api.get(
    '/apps',
    doc("List the company's apps", { response: { 200: z.object({ apps: z.array(appView) }) } }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return { apps: await apps.list(actor, companyId) };
    },
  );

  const created = appView.extend({ api_key: z.string() });
  api.post(
    '/apps',
    doc('Create a private app; its API key is in the answer, once', {
      body: fields,
      response: { 201: created },
    }),
    async (request, reply) => {
      const { actor, companyId } = actorOf(request);
      const { app: made, apiKey } = await apps.create(actor, companyId, request.body);
      return reply.status(201).send({ ...made, api_key: apiKey });
    },
  );

  api.get('/apps/:id', doc('Get an app', { params, response: { 200: appView } }), async (request) => {
    const { actor, companyId } = actorOf(request);
    return apps.get(actor, companyId, request.params.id);
  });

  api.patch(
    '/apps/:id',
    doc("Change an app's settings", { params, body: fields.partial(), response: { 200: appView } }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return apps.update(actor, companyId, request.params.id, request.body);
    },
  );

  api.delete(
    '/apps/:id',
    doc('Delete an app and revoke every token it issued', { params, response: { 204: z.null() } }),
    async (request, reply) => {
      const { actor, companyId } = actorOf(request);
      await apps.delete(actor, companyId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}

/** An app's audit log, newest first. */
function auditRoute(app: FastifyInstance, { apps }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const events = z.object({ events: z.array(auditEvent) });
  api.get(
    '/apps/:id/audit',
    doc("The app's audit log, newest first", { params, response: { 200: events } }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return { events: (await apps.auditLog(actor, companyId, request.params.id)).map(auditEventView) };
    },
  );
}

const failure = z.object({
  id: z.string(),
  created_at: z.string(),
  endpoint: z.string().describe('The endpoint that answered, e.g. /oauth/token'),
  error: z.string().describe('The OAuth error code Porter answered with'),
  cause: z
    .object({ kind: z.string() })
    .catchall(z.unknown())
    .describe('Why, as a kind and its facts (never a secret or code)'),
  message: z.string().describe('The cause in plain words'),
});

/** The install debugger: the app's failed authorization requests and token exchanges. */
function debuggerRoute(app: FastifyInstance, { installDebugger }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const failures = z.object({ failures: z.array(failure) });
  api.get(
    '/apps/:id/debugger',
    doc("The app's failed authorization requests and token exchanges of the last seven days, newest first", {
      params,
      response: { 200: failures },
    }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return { failures: await installDebugger.list(actor, companyId, request.params.id) };
    },
  );
}

const regeneratedSecret = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  previous_secret_expires_at: z.string().nullable().describe('Until when the old secret still works'),
});
// The service parses keep_old (none, 1h, 24h, 90m or minutes); the schema only shapes it.
const regenerateBody = z
  .object({
    keep_old: z
      .union([z.number(), z.string().max(10)])
      .optional()
      .describe('How long the old secret keeps working: none (default), 1h, 24h, 90m, or minutes up to 1440'),
  })
  .nullish();

/** The client secret: regenerate it (the old one kept for a window, or not) and end the old one early. */
function clientSecretRoutes(app: FastifyInstance, { apps }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/apps/:id/client-secret',
    doc('Regenerate the client secret; the old one stops working at once or after keep_old', {
      params,
      body: regenerateBody,
      response: { 200: regeneratedSecret },
    }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      const { app: updated, clientSecret } = await apps.regenerateClientSecret(
        actor,
        companyId,
        request.params.id,
        request.body ?? {},
      );
      return {
        client_id: updated.client_id ?? '',
        client_secret: clientSecret,
        previous_secret_expires_at: updated.previous_client_secret?.expires_at ?? null,
      };
    },
  );

  api.delete(
    '/apps/:id/client-secret/previous',
    doc('End the previous client secret now (it stops working at once)', {
      params,
      response: { 200: appView },
    }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return apps.endPreviousClientSecret(actor, companyId, request.params.id);
    },
  );
}

/** Distribution credentials and the API key: each new secret is in the answer, once. */
function credentialRoutes(app: FastifyInstance, { apps }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const distributed = appView.extend({ client_secret: z.string() });
  const summary =
    'Enable distribution: client ID, client secret (once) and distribution URL; the app becomes unlisted';
  api.post(
    '/apps/:id/distribution',
    doc(summary, { params, body: distribution, response: { 200: distributed } }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      const { app: updated, clientSecret } = await apps.enableDistribution(
        actor,
        companyId,
        request.params.id,
        request.body,
      );
      return { ...updated, client_secret: clientSecret };
    },
  );

  const key = z.object({ api_key: z.string() });
  api.post(
    '/apps/:id/api-key',
    doc('Regenerate the API key; the old one stops working at once', { params, response: { 200: key } }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return { api_key: (await apps.regenerateApiKey(actor, companyId, request.params.id)).apiKey };
    },
  );
}
