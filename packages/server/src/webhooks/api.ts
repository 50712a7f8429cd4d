import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, docFor, params } from '../apps/api.js';
import type { WebhooksService } from './service.js';

const delivery = z.object({
  id: z.string().describe('The event id, sent as Porter-Event-Id'),
  type: z.string(),
  installation_id: z.string().nullable(),
  sequence: z.number().int().nullable(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  delivered_at: z.string().nullable(),
  attempt_log: z.array(
    z.object({
      number: z.number().int(),
      url: z.string(),
      started_at: z.string(),
      duration_ms: z.number().int(),
      status_code: z.number().int().nullable(),
      error: z.string().nullable(),
    }),
  ),
});

const deliveryParams = params.extend({ delivery: z.string().max(64).describe('The event id, whe_…') });
const doc = docFor('Webhooks');

/** An app's webhook deliveries in the developer API (`/developer/v1`): list, redeliver, test. */
export function webhookApiRoutes(app: FastifyInstance, { webhooks }: { webhooks: WebhooksService }) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/apps/:id/webhooks/deliveries',
    doc("The app's latest webhook deliveries, newest first", {
      params,
      response: { 200: z.object({ deliveries: z.array(delivery) }) },
    }),
    async (request) => {
      const { actor, companyId } = actorOf(request);
      return { deliveries: await webhooks.deliveries(actor, companyId, request.params.id) };
    },
  );

  api.post(
    '/apps/:id/webhooks/deliveries/:delivery/redeliver',
    doc('Send a delivery again now: the same event id and body, a new signature', {
      params: deliveryParams,
      response: { 202: z.null() },
    }),
    async (request, reply) => {
      const { actor, companyId } = actorOf(request);
      await webhooks.redeliver(actor, companyId, request.params.id, request.params.delivery);
      return reply.status(202).send(null);
    },
  );

  api.post(
    '/apps/:id/webhooks/test',
    doc('Send a test event to the webhook URL', {
      params,
      response: { 202: z.object({ id: z.string() }) },
    }),
    async (request, reply) => {
      const { actor, companyId } = actorOf(request);
      return reply.status(202).send({ id: await webhooks.sendTest(actor, companyId, request.params.id) });
    },
  );
}
