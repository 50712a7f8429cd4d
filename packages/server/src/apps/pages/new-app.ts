import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { errorSummary } from '../../web/fields.js';
import { formState, handleForm } from '../../web/forms.js';
import { html } from '../../web/html.js';
import { csrfField, sendPage } from '../../web/layout.js';
import { actingAs } from '../../web/viewer.js';
import type { AppsService } from '../service.js';
import { appPath } from '../views/app-page.js';
import { APP_FIELD_ORDER, APP_LABELS, appSettingsFields } from '../views/fields.js';
import { appSettingsForm } from './forms.js';

const FORM = { page: '/developer/apps/new', id: 'app-form', schema: appSettingsForm };

/** `GET /developer/apps/new` and `POST /developer/apps`: a new private app and its API key, shown once. */
export function newAppPages(app: FastifyInstance, { config, apps }: { config: Config; apps: AppsService }) {
  app.get(FORM.page, async (request, reply) => {
    actingAs(request);
    const form = formState(request.flash, FORM.id);
    return sendPage(request, reply, {
      title: 'Create app',
      body: html`<p><a href="/developer">← Built by you</a></p><h1>Create app</h1>
        <section class="card" id="${FORM.id}" aria-label="New app">${errorSummary(form, APP_LABELS, APP_FIELD_ORDER)}
          <form method="post" action="/developer/apps">${csrfField(reply)}
          ${appSettingsFields(config.scopes, form.values ?? {}, form.errors)}
          <div class="actions"><button type="submit">Create app</button></div></form></section>`,
    });
  });

  app.post('/developer/apps', async (request, reply) => {
    const { actor, companyId } = actingAs(request);
    return handleForm(request, reply, FORM, async ({ _csrf, ...input }) => {
      const { app: created, apiKey } = await apps.create(actor, companyId, input);
      const items = [{ id: 'api-key-value', label: 'API key', value: apiKey, secret: true }];
      return { to: appPath(created.id), flash: { secret: { title: 'App created', items } } };
    });
  });
}
