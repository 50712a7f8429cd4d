import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FailureCause } from '../debugger/causes.js';
import type { Services } from '../services.js';
import { checkOrigin, clientCredentials, preflight } from './client-auth.js';
import { OAuthError } from './errors.js';
import type { Issued } from './token-service.js';

const text = z.string().max(2048);
/** RFC 6749 §4.1.3: the token request, as a form or as JSON. */
export const tokenRequest = z.object({
  grant_type: text.optional(),
  code: text.optional(),
  redirect_uri: text.optional(),
  code_verifier: text.optional(),
  client_id: z.string().max(64).optional(),
  client_secret: z.string().max(200).optional(),
});

/** RFC 6749 §5.1: the token answer, with the installation it acts for. */
export function tokenAnswer(issued: Issued) {
  return {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    scope: issued.scopes.join(' '),
    installation: issued.installation,
  };
}

/** `POST /oauth/token`: the authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export function tokenRoute(app: FastifyInstance, { services }: { services: Services }) {
  app.options('/token', preflight);
  app.post('/token', async (request, reply) => {
    const parsed = tokenRequest.safeParse(request.body ?? {});
    if (!parsed.success)
      throw new OAuthError('invalid_request', 'Every parameter is a string of at most 2048 characters.');
    const body = parsed.data;
    const client = await services.tokens.authenticate(clientCredentials(request, body), request.ip);
    checkOrigin(client, request, reply);
    const failure = (cause: FailureCause) => ({ failure: { appId: client.id, cause } });
    if (body.grant_type !== 'authorization_code')
      throw new OAuthError(
        'unsupported_grant_type',
        'Only grant_type=authorization_code is supported.',
        failure({ kind: 'unsupported_grant_type', given: body.grant_type ?? null }),
      );
    if (!body.code)
      throw new OAuthError(
        'invalid_request',
        'code is required.',
        failure({ kind: 'parameter_missing', name: 'code' }),
      );
    if (!body.redirect_uri)
      throw new OAuthError(
        'invalid_request',
        'redirect_uri is required.',
        failure({ kind: 'parameter_missing', name: 'redirect_uri' }),
      );
    const issued = await services.tokens.exchange(client, {
      code: body.code,
      redirectUri: body.redirect_uri,
      checkRedirectUri: true,
      codeVerifier: body.code_verifier,
    });
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(tokenAnswer(issued));
  });
}
