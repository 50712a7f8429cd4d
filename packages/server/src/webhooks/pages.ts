import type { FastifyInstance } from 'fastify';
import { appOf } from '../apps/pages/app-page.js';
import { buttonForm, confirmForm, webhookUrlForm } from '../apps/pages/forms.js';
import type { AppsService } from '../apps/service.js';
import { appPath } from '../apps/views/app-page.js';
import { ValidationError } from '../lib/errors.js';
import { handleForm } from '../web/forms.js';
import type { WebhooksService } from './service.js';

interface Deps {
  apps: AppsService;
  webhooks: WebhooksService;
}

/** The forms of an app's Webhooks tab: the URL, the signing secret, test events and redelivery. */
export function webhookActions(app: FastifyInstance, deps: Deps) {
  urlAndSecretActions(app, deps);
  deliveryActions(app, deps);
}

function urlAndSecretActions(app: FastifyInstance, { apps, webhooks }: Deps) {
  app.post('/developer/apps/:id/webhooks/url', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id, 'webhooks'), id: 'webhook-url-form', schema: webhookUrlForm };
    return handleForm(request, reply, form, async ({ webhook_url }) => {
      await apps.update(actor, companyId, view.id, { webhook_url });
      return {
        to: form.page,
        flash: { notice: webhook_url ? 'Webhook URL saved.' : 'Webhooks turned off.' },
      };
    });
  });

  // Revealed through a POST and a one-time flash: the secret never sits in a cacheable GET.
  app.post('/developer/apps/:id/webhooks/secret', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const secret = await webhooks.revealSecret(actor, companyId, view.id);
    return reply.redirectWithFlash(request, appPath(view.id, 'webhooks'), {
      secret: { title: 'Webhook signing secret', items: [secretItem(secret)] },
    });
  });

  app.post('/developer/apps/:id/webhooks/rotate', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id, 'webhooks'), id: 'webhook-secret-form', schema: confirmForm };
    return handleForm(request, reply, form, async ({ confirm }) => {
      if (!confirm) throw new ValidationError({ confirm: 'confirm that a new secret is to sign deliveries' });
      const secret = await webhooks.rotateSecret(actor, companyId, view.id);
      return {
        to: form.page,
        flash: { secret: { title: 'New webhook signing secret', items: [secretItem(secret)] } },
      };
    });
  });
}

function deliveryActions(app: FastifyInstance, { apps, webhooks }: Deps) {
  app.post('/developer/apps/:id/webhooks/test', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id, 'webhooks'), id: 'webhook-url-form', schema: buttonForm };
    return handleForm(request, reply, form, async () => {
      await webhooks.sendTest(actor, companyId, view.id);
      return { to: form.page, flash: { notice: 'Test event queued: it is listed below.' } };
    });
  });

  app.post('/developer/apps/:id/webhooks/deliveries/:delivery/redeliver', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const { delivery = '' } = request.params as { delivery?: string };
    await webhooks.redeliver(actor, companyId, view.id, delivery);
    return reply.redirectWithFlash(request, appPath(view.id, 'webhooks'), {
      notice: 'Redelivery queued: the same event is sent again now.',
    });
  });
}

/** The secret as the flash shows it: not a shown-once secret, since Porter can show it again. */
function secretItem(value: string) {
  return { id: 'webhook-secret-value', label: 'Signing secret', value, secret: false };
}
