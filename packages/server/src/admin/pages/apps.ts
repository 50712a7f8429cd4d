import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../../lib/errors.js';
import { formCheck, formSchema, formText, handleForm } from '../../web/forms.js';
import { sendPage } from '../../web/layout.js';
import { adminActor } from '../guard.js';
import type { AdminService } from '../service.js';
import { adminAppPath, adminAppsView, adminAppView } from '../views/apps.js';
import { listPage } from './list-page.js';

const suspendForm = formSchema({ reason: formText, confirm: formCheck });
const unsuspendForm = formSchema({});

const appId = (request: FastifyRequest) => (request.params as { id?: string }).id ?? '';

/** `/admin/apps`: every app, one app's page, and its Suspend and Unsuspend forms. */
export function adminAppPages(app: FastifyInstance, { admin }: { admin: AdminService }) {
  listPage(app, '/admin/apps', 'Apps · Admin', (r, q) => admin.apps(adminActor(r), q), adminAppsView);

  app.get('/admin/apps/:id', async (request, reply) => {
    const details = await admin.app(adminActor(request), appId(request));
    const body = adminAppView({ details, reply, flash: request.flash });
    return sendPage(request, reply, { title: `${details.app.name} · Admin`, body });
  });

  app.post('/admin/apps/:id/suspend', async (request, reply) => {
    const id = appId(request);
    const form = { page: adminAppPath(id), id: 'suspend-form', schema: suspendForm };
    return handleForm(request, reply, form, async ({ reason, confirm }) => {
      if (!confirm)
        throw new ValidationError({ confirm: "confirm that the app's credentials stop working at once" });
      const { app: suspended } = await admin.suspend(adminActor(request), id, { reason });
      const notice = `${suspended.name} is suspended: its API key and access tokens are refused from now on.`;
      return { to: adminAppPath(id), flash: { notice } };
    });
  });

  app.post('/admin/apps/:id/unsuspend', async (request, reply) => {
    const id = appId(request);
    const form = { page: adminAppPath(id), id: 'unsuspend-form', schema: unsuspendForm };
    return handleForm(request, reply, form, async () => {
      const { app: restored } = await admin.unsuspend(adminActor(request), id);
      return {
        to: adminAppPath(id),
        flash: { notice: `${restored.name} is no longer suspended: its credentials work again.` },
      };
    });
  });
}
