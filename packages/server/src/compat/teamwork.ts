import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.js';
import { answerAuthorization, readParams } from '../oauth/authorize.js';
import { checkOrigin, preflight } from '../oauth/client-auth.js';
import { OAuthError } from '../oauth/errors.js';
import type { Issued } from '../oauth/token-service.js';
import type { Services } from '../services.js';

// Teamwork's App Login Flow (seed 003): a login URL without response_type or scope, and a JSON
// token exchange without grant_type that answers with the installation and the user. Both are
// thin adapters onto the same authorization server; its rules (exact redirect URIs, single-use
// codes, allowed origins) all apply. Its codes live 15 minutes: set PORTER_CODE_TTL=900.

const exchange = z.object({
  code: z.string().max(2048),
  client_id: z.string().max(64),
  client_secret: z.string().max(200),
  redirect_uri: z.string().max(2048),
});

function splitName(name: string): { firstName: string; lastName: string } {
  const [firstName = '', ...rest] = name.trim().split(/\s+/);
  return { firstName, lastName: rest.join(' ') };
}

/** The Teamwork answer: `access_token`, `installation`, `user`, `status: "ok"`. */
function answer(issued: Issued, config: Pick<Config, 'publicUrl'>) {
  const { installation } = issued;
  const company = { id: installation.company.id, name: installation.company.name, logo: '' };
  const user = installation.installed_by;
  return {
    access_token: issued.accessToken,
    installation: {
      id: installation.id,
      name: installation.company.name,
      region: installation.region,
      apiEndPoint: installation.api_base_url,
      url: config.publicUrl,
      chatEnabled: false,
      company,
    },
    user: user ? { id: user.id, ...splitName(user.name), email: user.email, avatar: '', company } : null,
    status: 'ok',
  };
}

/** `GET /launchpad/login?client_id&redirect_uri&state`: starts the flow (a page). */
export function teamworkPages(app: FastifyInstance, deps: { config: Config; services: Services }) {
  const names = {
    client_id: 'clientId',
    redirect_uri: 'redirectUri',
    state: 'state',
    scope: 'scope',
  } as const;
  app.get('/launchpad/login', { config: { signedOut: true } }, async (request, reply) =>
    answerAuthorization(
      request,
      reply,
      deps,
      readParams(request.query as Record<string, string>, names, true),
    ),
  );
}

/** `POST /launchpad/v1/token.json` with `{code, client_id, redirect_uri, client_secret}`. */
export function teamworkApi(
  app: FastifyInstance,
  { config, services }: { config: Config; services: Services },
) {
  app.options('/launchpad/v1/token.json', preflight);
  app.post('/launchpad/v1/token.json', async (request, reply) => {
    const parsed = exchange.safeParse(request.body ?? {});
    if (!parsed.success)
      throw new OAuthError(
        'invalid_request',
        'Send JSON with code, client_id, redirect_uri and client_secret.',
      );
    const body = parsed.data;
    const credentials = { clientId: body.client_id, clientSecret: body.client_secret, basic: false };
    const client = await services.tokens.authenticate(credentials, request.ip);
    checkOrigin(client, request, reply);
    const issued = await services.tokens.exchange(client, {
      code: body.code,
      redirectUri: body.redirect_uri,
      checkRedirectUri: true,
      codeVerifier: undefined,
    });
    return reply.header('cache-control', 'no-store').send(answer(issued, config));
  });
}
