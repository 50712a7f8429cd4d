import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { OAuthClient } from '../apps/service.js';
import type { Config } from '../config.js';
import type { AuthorizationRequestRow } from '../db/schema.js';
import { ForbiddenError, NotFoundError } from '../lib/errors.js';
import type { Services } from '../services.js';
import { html } from '../web/html.js';
import { sendPage } from '../web/layout.js';
import { CONTENT_SECURITY_POLICY } from '../web/security-headers.js';
import { actingAs, viewerOf } from '../web/viewer.js';
import type { ValidRequest } from './authorization-service.js';
import { isWebUri, withParams } from './redirects.js';
import { type CompanyChoice, consentView, handOffView } from './views.js';

type Pending = { row: AuthorizationRequestRow; client: OAuthClient };

const answer = z.object({
  request_id: z.string().max(64),
  decision: z.enum(['authorize', 'decline']),
  company_id: z.string().max(64).optional(),
});

/** The companies the viewer could install into, each with why not when they cannot. */
async function choices(
  request: FastifyRequest,
  services: Services,
  client: OAuthClient,
): Promise<CompanyChoice[]> {
  const { companies } = viewerOf(request);
  const installed = await services.installations.installedIn(
    client.id,
    companies.map((c) => c.id),
  );
  return companies.map((c) => ({
    id: c.id,
    name: c.name,
    isTest: c.is_test === 1,
    installed: installed.has(c.id),
    refusal: services.authorization.refusal(client, c),
  }));
}

async function render(
  request: FastifyRequest,
  reply: FastifyReply,
  services: Services,
  pending: Pending,
  config: Pick<Config, 'scopes'>,
) {
  const { client, row } = pending;
  const scopes = (JSON.parse(row.scopes) as string[]).map((name) => ({
    name,
    words: config.scopes[name] ?? name,
  }));
  const body = consentView(reply, {
    requestId: row.id,
    client,
    developer: client.developer,
    scopes,
    companies: await choices(request, services, client),
    activeCompanyId: viewerOf(request).company?.id,
    redirectHost: isWebUri(row.redirect_uri) ? new URL(row.redirect_uri).host : client.name,
    alert: request.flash?.alert,
  });
  // The answer redirects the form's POST to the app: Chromium applies form-action to that
  // redirect too, so the consent page allows the app's own origin (custom schemes go through
  // Porter's hand-off page, which is 'self').
  if (isWebUri(row.redirect_uri))
    reply.header(
      'content-security-policy',
      CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'",
        `form-action 'self' ${new URL(row.redirect_uri).origin}`,
      ),
    );
  return sendPage(request, reply, { title: `Install ${client.name}`, body });
}

/** Opens a pending request for a checked authorization request and shows its consent page. */
export async function consentPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { config, services }: { config: Config; services: Services },
  valid: ValidRequest,
) {
  const pending = await services.authorization.open(viewerOf(request).session, valid);
  return render(request, reply, services, pending, config);
}

/** Sends the answer to the app: a redirect, or for a custom scheme a page that hands it over. */
function handBack(
  request: FastifyRequest,
  reply: FastifyReply,
  client: OAuthClient,
  url: string,
  authorized: boolean,
) {
  if (isWebUri(url)) return reply.redirect(url, 303);
  return reply.redirectWithFlash(request, '/oauth/authorized', {
    handOff: { appName: client.name, url, authorized },
  });
}

/** `POST /oauth/consent` (Authorize or Decline), `GET /oauth/consent` after a refusal, `GET /oauth/authorized`. */
export function consentRoutes(
  app: FastifyInstance,
  { config, services }: { config: Config; services: Services },
) {
  const expired = () =>
    Object.assign(
      new Error(
        'This authorization request has expired or was already answered. Go back to the app and start again.',
      ),
      {
        statusCode: 400,
      },
    );

  app.get('/oauth/consent', async (request, reply) => {
    const { request: id = '' } = request.query as { request?: string };
    const pending = await services.authorization.pending(viewerOf(request).session, String(id));
    if (!pending) throw expired();
    return render(request, reply, services, pending, config);
  });

  app.post('/oauth/consent', async (request, reply) => {
    const { actor } = actingAs(request);
    const body = answer.safeParse(request.body);
    if (!body.success) throw expired();
    // Post/Redirect/Get even here: the consent URL then says the request is no longer open.
    const again = `/oauth/consent?request=${encodeURIComponent(body.data.request_id)}`;
    const pending = await services.authorization.pending(viewerOf(request).session, body.data.request_id);
    if (!pending) return reply.redirect(again, 303);
    const { row, client } = pending;
    const back = { state: row.state ?? undefined, iss: config.publicUrl };
    const companyId = body.data.company_id ?? viewerOf(request).company?.id;
    if (body.data.decision === 'decline') {
      if (!(await services.authorization.decline(actor, pending, companyId)))
        return reply.redirect(again, 303);
      return handBack(
        request,
        reply,
        client,
        withParams(row.redirect_uri, {
          error: 'access_denied',
          error_description: 'The user declined.',
          ...back,
        }),
        false,
      );
    }
    if (!companyId)
      return reply.redirectWithFlash(request, again, { alert: 'Choose a company to install into.' });
    let code: string | undefined;
    try {
      code = await services.authorization.approve(actor, pending, companyId);
    } catch (err) {
      // The role or the company refused it: said on the consent page, which stays open.
      if (err instanceof ForbiddenError || err instanceof NotFoundError)
        return reply.redirectWithFlash(request, again, {
          alert: err instanceof NotFoundError ? 'Choose one of your companies.' : err.message,
        });
      throw err;
    }
    if (!code) return reply.redirect(again, 303);
    return handBack(request, reply, client, withParams(row.redirect_uri, { code, ...back }), true);
  });

  app.get('/oauth/authorized', async (request, reply) => {
    const handOff = request.flash?.handOff;
    if (!handOff) return reply.redirect('/', 303);
    return sendPage(request, reply, {
      title: handOff.authorized ? 'Authorized' : 'Declined',
      head: html`<meta http-equiv="refresh" content="0;url=${handOff.url}">`,
      body: handOffView(handOff),
    });
  });
}
