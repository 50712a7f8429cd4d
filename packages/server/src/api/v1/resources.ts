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
  return reply.header('cache-control', 'no-store').status(answer.status).send(answer.body);
}

function retryKey(request: FastifyRequest): RetryKey {
  return (request.headers as { 'idempotency-key'?: string })['idempotency-key'];
}

function pageOf<T extends z.ZodType>(name: string, item: T) {
  return z.object({ [name]: z.array(item), next_cursor: z.string().nullable() });
}

/** `events:write`: custom events; `ecommerce:write`: product views, carts and purchases. */
function eventRoutes(app: FastifyInstance, { resources }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/events/custom',
    route('events:write', 'Record a custom event about a subscriber', {
      headers: retryHeaders,
      body: s.customEventInput,
      response: { 201: s.eventView, ...writeErrors },
    }),
    async (request, reply) =>
      send(reply, await resources.recordEvent(caller(request), retryKey(request), 'custom', request.body)),
  );
  api.get(
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
    api.post(
      `/events/ecommerce/${path}`,
      route('ecommerce:write', summary, {
        headers: retryHeaders,
        body: s.ecommerceInput,
        response: { 201: s.eventView, ...writeErrors },
      }),
      async (request, reply) =>
        send(reply, await resources.recordEvent(caller(request), retryKey(request), kind, request.body)),
    );
  }
}

/** `subscriptions:write`: subscribe, list by phone or email, unsubscribe. */
function subscriptionRoutes(app: FastifyInstance, { resources }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/subscriptions',
    route('subscriptions:write', 'Subscribe a subscriber to sms or email', {
      headers: retryHeaders,
      body: s.subscribeInput,
      response: { 201: s.subscriptionView, ...writeErrors },
    }),
    async (request, reply) =>
      send(reply, await resources.subscribe(caller(request), retryKey(request), request.body)),
  );
  api.get(
    '/subscriptions',
    route('subscriptions:write', "The company's subscriptions, of one phone or email when given", {
      querystring: s.subscriptionsQuery,
      response: { 200: pageOf('subscriptions', s.subscriptionView), ...errors },
    }),
    async (request) => {
      const page = await resources.listSubscriptions(caller(request), request.query);
      return { subscriptions: page.items, next_cursor: page.next_cursor };
    },
  );
  api.post(
    '/subscriptions/unsubscribe',
    route('subscriptions:write', 'Unsubscribe a subscriber (from one channel or type when given)', {
      headers: retryHeaders,
      body: s.unsubscribeInput,
      response: { 200: z.object({ subscriptions: z.array(s.subscriptionView) }), ...writeErrors },
    }),
    async (request, reply) =>
      send(reply, await resources.unsubscribe(caller(request), retryKey(request), request.body)),
  );
}

/** `attributes:write` and `privacy_requests:write`. */
function subscriberDataRoutes(app: FastifyInstance, { resources }: Deps) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/attributes/custom',
    route('attributes:write', 'Set custom attributes on a subscriber (null removes one)', {
      headers: retryHeaders,
      body: s.attributesInput,
      response: { 200: s.attributesView, ...writeErrors },
    }),
    async (request, reply) =>
      send(reply, await resources.setAttributes(caller(request), retryKey(request), request.body)),
  );
  api.post(
    '/privacy-requests',
    route('privacy_requests:write', "Delete a subscriber's data: done at once, the counts are kept", {
      headers: retryHeaders,
      body: s.privacyRequestInput,
      response: { 201: s.privacyRequestView, ...writeErrors },
    }),
    async (request, reply) =>
      send(reply, await resources.createPrivacyRequest(caller(request), retryKey(request), request.body)),
  );
  api.get(
    '/privacy-requests/:id',
    route('privacy_requests:write', 'A privacy request of the company', {
      params: z.object({ id: z.string().max(64).describe('The request id, prq_…') }),
      response: { 200: s.privacyRequestView, ...errors },
    }),
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
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
