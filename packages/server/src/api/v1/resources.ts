import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../credentials/service.js';
import type { EventKind } from '../../db/schema.js';
import type { Answer, Caller } from '../../resources/idempotency.js';
import * as s from '../../resources/schemas.js';
import type { ResourcesService, RetryKey } from '../../resources/service.js';
import { principalOf } from '../bearer.js';
import { bearerError, problem } from '../error-schemas.js';
import { requiresScope } from '../scopes.js';

interface Deps {
  resources: ResourcesService;
}

// The protected API's resources under /v1, one group per scope (the seeds' scope tables).

const errors = { 400: problem, 401: bearerError, 403: bearerError, 404: problem };
const writeErrors = { ...errors, 422: problem };

/** The Idempotency-Key header (printable ASCII, at most 255 characters); other headers pass. */
const retryHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters')
    .optional()
    .describe('Retrying with the same key and body answers as the first time; never writes twice'),
});

/** A route's OpenAPI description and its required scope. */
function route<T extends { response: Record<number, z.ZodType> }>(scope: string, summary: string, schema: T) {
  return {
    ...requiresScope(scope),
    schema: { tags: ['Protected API'], security: [{ appToken: [] }], summary, ...schema },
  };
}

/** Who the credential acts for: its company, and its app (bearer API credentials always have one). */
export function callerOf(p: Principal): Caller {
  return { companyId: p.companyId, appId: p.appId ?? p.tokenId };
}

const caller = (request: FastifyRequest) => callerOf(principalOf(request));

function send<T>(reply: FastifyReply, answer: Answer<T>) {
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return reply.status(answer.status).send(answer.body);
}

function retryKey(request: FastifyRequest): RetryKey {
  return (request.headers as { 'idempotency-key'?: string })['idempotency-key'];
}

function pageOf<T extends z.ZodType>(name: string, item: T) {
  return z.object({ [name]: z.array(item), next_cursor: z.string().nullable() });
}

interface WriteSpec<S extends z.ZodType> {
  scope: string;
  summary: string;
  body: S;
  status: 200 | 201;
  answer: z.ZodType;
}

/** A write: its scope, body schema and answer, the Idempotency-Key header, and the service call. */
function writeRoute<S extends z.ZodType>(
  app: FastifyInstance,
  path: string,
  spec: WriteSpec<S>,
  write: (caller: Caller, key: RetryKey, input: z.output<S>) => Promise<Answer<unknown>>,
) {
  const schema = {
    headers: retryHeaders,
    body: spec.body,
    response: { [spec.status]: spec.answer, ...writeErrors },
  };
  app.post(path, route(spec.scope, spec.summary, schema), async (request, reply) =>
    send(reply, await write(caller(request), retryKey(request), request.body as z.output<S>)),
  );
}

/** `events:write`: custom events; `ecommerce:write`: product views, carts and purchases. */
function eventRoutes(app: FastifyInstance, { resources }: Deps) {
  writeRoute(
    app,
    '/events/custom',
    {
      scope: 'events:write',
      summary: 'Record a custom event about a subscriber',
      body: s.customEventInput,
      status: 201,
      answer: s.eventView,
    },
    (c, key, input) => resources.recordEvent(c, key, 'custom', input),
  );
  app.withTypeProvider<ZodTypeProvider>().get(
    '/events/custom',
    route('events:write', "The company's custom events, newest first", {
      querystring: s.customEventsQuery,
      response: { 200: pageOf('events', s.eventView), ...errors },
    }),
    async (request) => {
      const page = await resources.listCustomEvents(caller(request), request.query);
      return { events: page.items, next_cursor: page.next_cursor };
    },
  );
  const ecommerce: [string, EventKind, string][] = [
    ['product-view', 'product_view', 'Record that a subscriber viewed products'],
    ['add-to-cart', 'add_to_cart', 'Record that a subscriber added products to a cart'],
    ['purchase', 'purchase', 'Record a purchase'],
  ];
  for (const [path, kind, summary] of ecommerce) {
    const spec = {
      scope: 'ecommerce:write',
      summary,
      body: s.ecommerceInput,
      status: 201 as const,
      answer: s.eventView,
    };
    writeRoute(app, `/events/ecommerce/${path}`, spec, (c, key, input) =>
      resources.recordEvent(c, key, kind, input),
    );
  }
}

/** `subscriptions:write`: subscribe, list by phone or email, unsubscribe. */
function subscriptionRoutes(app: FastifyInstance, { resources }: Deps) {
  const scope = 'subscriptions:write';
  writeRoute(
    app,
    '/subscriptions',
    {
      scope,
      summary: 'Subscribe a subscriber to sms or email',
      body: s.subscribeInput,
      status: 201,
      answer: s.subscriptionView,
    },
    (c, key, input) => resources.subscribe(c, key, input),
  );
  app.withTypeProvider<ZodTypeProvider>().get(
    '/subscriptions',
    route(scope, "The company's subscriptions, of one phone or email when given", {
      querystring: s.subscriptionsQuery,
      response: { 200: pageOf('subscriptions', s.subscriptionView), ...errors },
    }),
    async (request) => {
      const page = await resources.listSubscriptions(caller(request), request.query);
      return { subscriptions: page.items, next_cursor: page.next_cursor };
    },
  );
  const unsubscribed = z.object({ subscriptions: z.array(s.subscriptionView) });
  writeRoute(
    app,
    '/subscriptions/unsubscribe',
    {
      scope,
      summary: 'Unsubscribe a subscriber (from one channel or type when given)',
      body: s.unsubscribeInput,
      status: 200,
      answer: unsubscribed,
    },
    (c, key, input) => resources.unsubscribe(c, key, input),
  );
}

/** `attributes:write` and `privacy_requests:write`. */
function subscriberDataRoutes(app: FastifyInstance, { resources }: Deps) {
  writeRoute(
    app,
    '/attributes/custom',
    {
      scope: 'attributes:write',
      summary: 'Set custom attributes on a subscriber (null removes one)',
      body: s.attributesInput,
      status: 200,
      answer: s.attributesView,
    },
    (c, key, input) => resources.setAttributes(c, key, input),
  );
  writeRoute(
    app,
    '/privacy-requests',
    {
      scope: 'privacy_requests:write',
      summary: "Delete a subscriber's data: done at once, the counts are kept",
      body: s.privacyRequestInput,
      status: 201,
      answer: s.privacyRequestView,
    },
    (c, key, input) => resources.createPrivacyRequest(c, key, input),
  );
  app.withTypeProvider<ZodTypeProvider>().get(
    '/privacy-requests/:id',
    route('privacy_requests:write', 'A privacy request of the company', {
      params: z.object({ id: z.string().max(64).describe('The request id, prq_…') }),
      response: { 200: s.privacyRequestView, ...errors },
    }),
    async (request) => {
      return resources.findPrivacyRequest(caller(request), request.params.id);
    },
  );
}

/** Every resource route of the protected API, each guarded by its scope. */
export function resourceRoutes(app: FastifyInstance, deps: Deps) {
  eventRoutes(app, deps);
  subscriptionRoutes(app, deps);
  subscriberDataRoutes(app, deps);
}
