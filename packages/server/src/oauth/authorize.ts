import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Services } from '../services.js';
import { html } from '../web/html.js';
import { sendPage } from '../web/layout.js';
import type { AuthorizationParams } from './authorization-service.js';
import { consentPage } from './consent.js';
import { recordFailure } from './failures.js';
import { withParams } from './redirects.js';

type Query = Record<string, string | string[] | undefined>;

type ParamField = keyof Omit<AuthorizationParams, 'duplicated' | 'impliedCode'>;

/** The standard parameter names (RFC 6749 §4.1.1, RFC 7636 §4.3), mapped onto the request. */
const STANDARD: Record<string, ParamField> = {
  client_id: 'clientId',
  redirect_uri: 'redirectUri',
  scope: 'scope',
  state: 'state',
  response_type: 'responseType',
  code_challenge: 'codeChallenge',
  code_challenge_method: 'codeChallengeMethod',
};

/** Reads an authorization request from a query, under the given parameter names. */
export function readParams(
  query: Query,
  names: Record<string, ParamField>,
  impliedCode: boolean,
): AuthorizationParams {
  const params: AuthorizationParams = { duplicated: [], impliedCode };
  for (const [wire, field] of Object.entries(names)) {
    const value = query[wire];
    if (Array.isArray(value)) params.duplicated.push(wire);
    else if (value !== undefined && value !== '') params[field] = value;
  }
  return params;
}

/** Answers an authorization request: an error page, an error redirect, sign-in, or the consent page. */
export async function answerAuthorization(
  request: FastifyRequest,
  reply: FastifyReply,
  { config, services }: { config: Config; services: Services },
  params: AuthorizationParams,
) {
  const checked = await services.authorization.check(params);
  if (!checked.ok) await recordFailure(request, services, checked.error);
  if (!checked.ok && checked.redirect) {
    const { uri, state } = checked.redirect;
    const error = {
      error: checked.error.code,
      error_description: checked.error.message,
      state,
      iss: config.publicUrl,
    };
    return reply.redirect(withParams(uri, error), 303);
  }
  if (!checked.ok) {
    // RFC 6749 §4.1.2.1: an unknown client or unregistered redirect URI is never redirected to.
    return sendPage(request, reply, {
      status: 400,
      title: 'This install link does not work',
      body: html`<div class="card narrow" role="alert"><h1>This install link does not work</h1>
        <p>${checked.error.message}</p>
        <p>The link that brought you here was made by the app's developer, not by Porter. Go back to the app and tell its developer; nothing was installed.</p>
        <p class="hint">Error code: <code>${checked.error.code}</code></p></div>`,
    });
  }
  if (!request.viewer) return reply.redirect(`/sign-in?return_to=${encodeURIComponent(request.url)}`, 303);
  return consentPage(request, reply, { config, services }, checked.request);
}

/** `GET /integrations/oauth-install` (the distribution URL) and `GET /oauth/authorize`. */
export function authorizeRoutes(app: FastifyInstance, deps: { config: Config; services: Services }) {
  // Checked before sign-in, so a broken link says so at once; sign-in comes back here.
  const open = { config: { signedOut: true } };
  app.get('/integrations/oauth-install', open, async (request, reply) =>
    answerAuthorization(request, reply, deps, readParams(request.query as Query, STANDARD, true)),
  );
  app.get('/oauth/authorize', open, async (request, reply) =>
    answerAuthorization(request, reply, deps, readParams(request.query as Query, STANDARD, false)),
  );
}
