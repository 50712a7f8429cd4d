import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { sendPage } from '../../web/layout.js';
import { actingAs } from '../../web/viewer.js';
import type { WebhooksService } from '../../webhooks/service.js';
import type { AppsService } from '../service.js';
import { APP_TABS, type AppTab, appPageView } from '../views/app-page.js';

/** The app a page is about, as the active company's owner or admin sees it (404 otherwise). */
export async function appOf(apps: AppsService, request: FastifyRequest) {
  const { actor, companyId } = actingAs(request);
  const { id = '' } = request.params as { id?: string };
  return { actor, companyId, app: await apps.get(actor, companyId, id) };
}

/** `GET /developer/apps/:id` and its tabs: credentials, distribution, webhooks, audit log, danger zone. */
export function appPages(
  app: FastifyInstance,
  { config, apps, webhooks }: { config: Config; apps: AppsService; webhooks: WebhooksService },
) {
  for (const [tab, { path }] of Object.entries(APP_TABS) as [AppTab, { path: string }][]) {
    app.get(`/developer/apps/:id${path}`, async (request, reply) => {
      const { actor, companyId, app: view } = await appOf(apps, request);
      const events = tab === 'audit' ? await apps.auditLog(actor, companyId, view.id) : undefined;
      const hooks = tab === 'webhooks' ? await webhooks.overview(actor, companyId, view.id) : undefined;
      const body = appPageView(tab, {
        app: view,
        reply,
        flash: request.flash,
        scopes: config.scopes,
        events,
        webhooks: hooks,
      });
      return sendPage(request, reply, { title: `${APP_TABS[tab].label} · ${view.name}`, body });
    });
  }
}
