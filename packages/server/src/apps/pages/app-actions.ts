import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../lib/errors.js';
import { handleForm } from '../../web/forms.js';
import { utcMinute } from '../../web/last-used.js';
import type { AppsService } from '../service.js';
import { appPath } from '../views/app-page.js';
import { appOf } from './app-page.js';
import { appSettingsForm, buttonForm, clientSecretForm, deleteAppForm, distributionForm } from './forms.js';

/** The forms of an app's page: save settings, regenerate the API key or client secret, distribute, delete. */
export function appActions(app: FastifyInstance, deps: { apps: AppsService }) {
  settingsActions(app, deps);
  credentialActions(app, deps);
  clientSecretActions(app, deps);
}

/** Save settings; delete the app. */
function settingsActions(app: FastifyInstance, { apps }: { apps: AppsService }) {
  app.post('/developer/apps/:id/settings', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id), id: 'settings-form', schema: appSettingsForm };
    return handleForm(request, reply, form, async ({ _csrf, ...input }) => {
      await apps.update(actor, companyId, view.id, input);
      return { to: appPath(view.id), flash: { notice: 'Settings saved.' } };
    });
  });

  app.post('/developer/apps/:id/delete', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id, 'danger'), id: 'delete-form', schema: deleteAppForm };
    return handleForm(request, reply, form, async ({ confirm_name }) => {
      await apps.delete(actor, companyId, view.id, confirm_name);
      return {
        to: '/developer',
        flash: { notice: `${view.name} was deleted and every token it issued was revoked.` },
      };
    });
  });
}

/** The client secret: a new one shown once (the old one kept for the chosen window), or the old one ended now. */
function clientSecretActions(app: FastifyInstance, { apps }: { apps: AppsService }) {
  app.post('/developer/apps/:id/client-secret', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = {
      page: appPath(view.id, 'credentials'),
      id: 'client-secret-form',
      schema: clientSecretForm,
    };
    return handleForm(request, reply, form, async ({ confirm, keep_old }) => {
      if (!confirm) throw new ValidationError({ confirm: 'confirm that the current secret stops working' });
      const { app: updated, clientSecret } = await apps.regenerateClientSecret(actor, companyId, view.id, {
        keep_old,
      });
      const items = [
        { id: 'client-secret-value', label: 'Client secret', value: clientSecret, secret: true },
      ];
      const until = updated.previous_client_secret?.expires_at;
      const notice = until
        ? `The previous secret works until ${utcMinute(until)}.`
        : 'The previous secret no longer works.';
      return { to: form.page, flash: { notice, secret: { title: 'New client secret', items } } };
    });
  });

  app.post('/developer/apps/:id/client-secret/end-previous', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = { page: appPath(view.id, 'credentials'), id: 'client-secret-form', schema: buttonForm };
    return handleForm(request, reply, form, async () => {
      await apps.endPreviousClientSecret(actor, companyId, view.id);
      return { to: form.page, flash: { notice: 'The previous client secret no longer works.' } };
    });
  });
}

/** New credentials, each shown once on the tab the redirect lands on. */
function credentialActions(app: FastifyInstance, { apps }: { apps: AppsService }) {
  app.post('/developer/apps/:id/api-key', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const { apiKey } = await apps.regenerateApiKey(actor, companyId, view.id);
    return reply.redirectWithFlash(request, appPath(view.id, 'credentials'), {
      secret: {
        title: 'New API key',
        items: [{ id: 'api-key-value', label: 'API key', value: apiKey, secret: true }],
      },
    });
  });

  app.post('/developer/apps/:id/distribution', async (request, reply) => {
    const { actor, companyId, app: view } = await appOf(apps, request);
    const form = {
      page: appPath(view.id, 'distribution'),
      id: 'distribution-form',
      schema: distributionForm,
    };
    return handleForm(request, reply, form, async ({ redirect_urls }) => {
      const { app: updated, clientSecret } = await apps.enableDistribution(actor, companyId, view.id, {
        redirect_urls,
      });
      const items = [
        { id: 'new-client-id', label: 'Client ID', value: updated.client_id ?? '', secret: false },
        { id: 'client-secret-value', label: 'Client secret', value: clientSecret, secret: true },
        {
          id: 'new-distribution-url',
          label: 'Distribution URL',
          value: updated.distribution_url ?? '',
          secret: false,
        },
      ];
      return { to: form.page, flash: { secret: { title: 'Distribution enabled', items } } };
    });
  });
}
