import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { OAuthClient } from '../apps/oauth-client.js';
import type { Config } from '../config.js';
import { ForbiddenError } from '../lib/errors.js';
import type { Services } from '../services.js';
import { html } from '../web/html.js';
import { sendPage } from '../web/layout.js';
import { CONTENT_SECURITY_POLICY } from '../web/security-headers.js';
import { actingAs, viewerOf } from '../web/viewer.js';
import type { Pending, ValidRequest } from './authorization-service.js';
import { OAuthError } from './errors.js';
import { isWebUri, withParams } from './redirects.js';
import { type CompanyChoice, consentView, handOffView } from './views.js';

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

/** A consent that is no longer open: shown on an error page, never sent to the app. */
const expired = () =>
  new OAuthError(
    'invalid_request',
    'This authorization request has expired or was already answered. Go back to the app and start again.',
    { redirectable: false },
  );

interface Answer {
  request: FastifyRequest;
  reply: FastifyReply;
  pending: Pending;
  companyId: string | undefined;
  /** Where a refusal sends the person: the consent page again (Post/Redirect/Get). */
  again: string;
  back: { state: string | undefined; iss: string };
}

/** Decline: the app gets `error=access_denied` (RFC 6749 §4.1.2.1). */
async function decline(services: Services, a: Answer) {
  const { actor } = actingAs(a.request);
  if (!(await services.authorization.decline(actor, a.pending, a.companyId)))
    return a.reply.redirect(a.again, 303);
  const error = { error: 'access_denied', error_description: 'The user declined.', ...a.back };
  return handBack(a.request, a.reply, a.pending.client, withParams(a.pending.row.redirect_uri, error), false);
}

/** Authorize: the app gets a code; a refusal (role, company) is said on the consent page. */
async function authorize(services: Services, a: Answer) {
  const { actor } = actingAs(a.request);
  if (!a.companyId)
    return a.reply.redirectWithFlash(a.request, a.again, { alert: 'Choose a company to install into.' });
  const company = viewerOf(a.request).companies.find((c) => c.id === a.companyId);
  if (!company)
    return a.reply.redirectWithFlash(a.request, a.again, { alert: 'Choose one of your companies.' });
  let code: string | undefined;
  try {
    code = await services.authorization.approve(actor, a.pending, company);
  } catch (err) {
    if (!(err instanceof ForbiddenError)) throw err;
    return a.reply.redirectWithFlash(a.request, a.again, { alert: err.message });
  }
  if (!code) return a.reply.redirect(a.again, 303);
  const url = withParams(a.pending.row.redirect_uri, { code, ...a.back });
  return handBack(a.request, a.reply, a.pending.client, url, true);
}

/** `POST /oauth/consent` (Authorize or Decline), `GET /oauth/consent` after a refusal, `GET /oauth/authorized`. */
export function consentRoutes(
  app: FastifyInstance,
  { config, services }: { config: Config; services: Services },
) {
  app.get('/oauth/consent', async (request, reply) => {
    const { request: id = '' } = request.query as { request?: string };
    const pending = await services.authorization.pending(viewerOf(request).session, String(id));
    if (!pending) throw expired();
    return render(request, reply, services, pending, config);
  });

  app.post('/oauth/consent', async (request, reply) => {
    const body = answer.safeParse(request.body);
    if (!body.success) throw expired();
    const again = `/oauth/consent?request=${encodeURIComponent(body.data.request_id)}`;
    const pending = await services.authorization.pending(viewerOf(request).session, body.data.request_id);
    // Post/Redirect/Get even here: the consent URL then says the request is no longer open.
    if (!pending) return reply.redirect(again, 303);
    const companyId = body.data.company_id ?? viewerOf(request).company?.id;
    const back = { state: pending.row.state ?? undefined, iss: config.publicUrl };
    const a = { request, reply, pending, companyId, again, back };
    return body.data.decision === 'decline' ? decline(services, a) : authorize(services, a);
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
