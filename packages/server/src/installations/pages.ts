import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { flashMessages } from '../web/fields.js';
import { html } from '../web/html.js';
import { sendPage } from '../web/layout.js';
import { actingAs } from '../web/viewer.js';
import type { InstallationsService } from './service.js';
import { installedAppsView } from './views.js';

/** `GET /installed-apps` and `POST /installed-apps/:id/uninstall`, for a company's owners and admins. */
export function installedAppsPages(
  app: FastifyInstance,
  { config, installations }: { config: Config; installations: InstallationsService },
) {
  app.get('/installed-apps', async (request, reply) => {
    const { viewer, actor, companyId } = actingAs(request);
    const list = await installations.list(actor, companyId);
    return sendPage(request, reply, {
      title: 'Installed apps',
      body: html`<h1>Installed apps <span class="muted">· ${viewer.company?.name}</span></h1>
        ${flashMessages(request.flash)}${installedAppsView(viewer.company?.name ?? '', list, config.scopes, reply)}`,
    });
  });

  app.post('/installed-apps/:id/uninstall', async (request, reply) => {
    const { actor, companyId } = actingAs(request);
    const { id = '' } = request.params as { id?: string };
    const removed = await installations.uninstall(actor, companyId, id);
    return reply.redirectWithFlash(request, '/installed-apps', {
      notice: `${removed.app.name} was uninstalled; its access was revoked.`,
    });
  });
}
