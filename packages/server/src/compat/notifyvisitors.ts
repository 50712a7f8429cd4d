import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config.js';
import { answerAuthorization, readParams } from '../oauth/authorize.js';
import { checkOrigin } from '../oauth/client-auth.js';
import { OAuthError } from '../oauth/errors.js';
import { recordFailure } from '../oauth/failures.js';
import type { Services } from '../services.js';
import { describeError } from '../web/errors.js';

// NotifyVisitors' OAuth flow (seed 004): `app_client_id` and `app_redirect_uri` on the way in;
// `auth_code` and `app_client_secret` (no client id: the code names its client) on the way back,
// answered as `{status, message, App_access_token}`, and failures as `{status: "error", message}`.

const exchange = z.object({ auth_code: z.string().max(2048), app_client_secret: z.string().max(200) });

function failure(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const d = describeError(error);
  if (d.status >= 500) request.log.error({ err: error, reqId: request.id }, 'request failed');
  const status = d.status >= 500 ? 500 : d.status;
  return reply
    .status(status)
    .headers(d.headers)
    .header('cache-control', 'no-store')
    .send({ status: 'error', message: d.message });
}

/** `GET /api/oauth/authorize?app_client_id&app_redirect_uri` (a page). */
export function notifyVisitorsPages(app: FastifyInstance, deps: { config: Config; services: Services }) {
  const names = {
    app_client_id: 'clientId',
    app_redirect_uri: 'redirectUri',
    state: 'state',
    scope: 'scope',
  } as const;
  app.get('/api/oauth/authorize', { config: { signedOut: true } }, async (request, reply) =>
    answerAuthorization(
      request,
      reply,
      deps,
      readParams(request.query as Record<string, string>, names, true),
    ),
  );
}

/** `POST /api/oauth/access_token` with `auth_code` and `app_client_secret`, as a form or JSON. */
export function notifyVisitorsApi(app: FastifyInstance, { services }: { services: Services }) {
  app.post('/api/oauth/access_token', async (request, reply) => {
    try {
      const parsed = exchange.safeParse(request.body ?? {});
      if (!parsed.success) throw new OAuthError('invalid_request', 'Send auth_code and app_client_secret.');
      const { auth_code: code, app_client_secret: clientSecret } = parsed.data;
      const clientId = (await services.tokens.clientOfCode(code)) ?? '';
      const client = await services.tokens.authenticate({ clientId, clientSecret, basic: false }, request.ip);
      checkOrigin(client, request, reply);
      const issued = await services.tokens.exchange(client, {
        code,
        redirectUri: undefined,
        checkRedirectUri: false,
        codeVerifier: undefined,
      });
      return reply.header('cache-control', 'no-store').send({
        status: 'success',
        message: 'Access token generated.',
        App_access_token: issued.accessToken,
      });
    } catch (err) {
      await recordFailure(request, services, err);
      return failure(request, reply, err);
    }
  });
}
