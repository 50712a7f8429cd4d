import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../audit/service.js';
import type { Config } from '../../config.js';
import type { InstallDebugger } from '../../debugger/service.js';
import { sendPage } from '../../web/layout.js';
import { actingAs } from '../../web/viewer.js';
import type { WebhooksService } from '../../webhooks/service.js';
import type { AppActivity } from '../activity.js';
import type { ListingService } from '../listing/service.js';
import type { ReviewService } from '../review/service.js';
import type { AppsService } from '../service.js';
import { APP_TABS, type AppTab, appPageView } from '../views/app-page.js';
import { listingTabData } from './listing.js';

/** The app a page is about, as the active company's owner or admin sees it (404 otherwise). */
export async function appOf(apps: AppsService, request: FastifyRequest) {
  const { actor, companyId } = actingAs(request);
  const { id = '' } = request.params as { id?: string };
  return { actor, companyId, app: await apps.get(actor, companyId, id) };
}

interface Deps {
  config: Config;
  apps: AppsService;
  activity: AppActivity;
  installDebugger: InstallDebugger;
  webhooks: WebhooksService;
  listings: ListingService;
  reviews: ReviewService;
}

/** What a tab shows beyond the app itself: the audit log, the failures, the charts' numbers, the webhooks. */
async function tabData(tab: AppTab, deps: Deps, actor: Actor, companyId: string, appId: string) {
  if (tab === 'audit') return { events: await deps.apps.auditLog(actor, companyId, appId) };
  if (tab === 'debugger') return { failures: await deps.installDebugger.list(actor, companyId, appId) };
  if (tab === 'activity') return { activity: await deps.activity.lastDays(actor, companyId, appId) };
  if (tab === 'webhooks') return { webhooks: await deps.webhooks.overview(actor, companyId, appId) };
  if (tab === 'listing') return { listing: await listingTabData(deps, actor, companyId, appId) };
  return {};
}

/** `GET /developer/apps/:id` and its tabs: credentials, distribution, webhooks, activity, install debugger, audit log, danger zone. */
export function appPages(app: FastifyInstance, deps: Deps) {
  const { config, apps } = deps;
  for (const [tab, { path }] of Object.entries(APP_TABS) as [AppTab, { path: string }][]) {
    app.get(`/developer/apps/:id${path}`, async (request, reply) => {
      const { actor, companyId, app: view } = await appOf(apps, request);
      const body = appPageView(tab, {
        app: view,
        reply,
        flash: request.flash,
        scopes: config.scopes,
        suspension:
          view.status === 'suspended' ? await apps.suspension(actor, companyId, view.id) : undefined,
        ...(await tabData(tab, deps, actor, companyId, view.id)),
      });
      return sendPage(request, reply, { title: `${APP_TABS[tab].label} · ${view.name}`, body });
    });
  }
}
