import type { FastifyInstance } from 'fastify';
import { testCompaniesSection } from '../../accounts/views.js';
import type { CredentialsService } from '../../credentials/service.js';
import { tokensSection } from '../../credentials/views.js';
import { ForbiddenError } from '../../lib/errors.js';
import { flashMessages } from '../../web/fields.js';
import { html, type SafeHtml } from '../../web/html.js';
import { sendPage } from '../../web/layout.js';
import { actingAs } from '../../web/viewer.js';
import type { AppsService } from '../service.js';
import { builtByYou } from '../views/portal.js';

/** `GET /developer`: the company's apps, the viewer's developer tokens and their test companies. */
export function portalPages(
  app: FastifyInstance,
  { apps, credentials }: { apps: AppsService; credentials: CredentialsService },
) {
  app.get('/developer', async (request, reply) => {
    const { viewer, actor, companyId } = actingAs(request);
    let sections: SafeHtml;
    try {
      const list = await apps.list(actor, companyId);
      const tokens = await credentials.listPersonalTokens(actor, companyId);
      sections = html`${builtByYou(list)}${tokensSection(tokens, reply, request.flash)}`;
    } catch (err) {
      if (!(err instanceof ForbiddenError)) throw err;
      sections = html`<section class="card"><p>${err.message}</p></section>`;
    }
    return sendPage(request, reply, {
      title: 'Developer portal',
      body: html`<h1>Developer portal <span class="muted">· ${viewer.company?.name}</span></h1>
        ${flashMessages(request.flash)}${sections}${testCompaniesSection(viewer, reply, request.flash)}`,
    });
  });
}
