import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthClient } from '../apps/oauth-client.js';
import { capped, type FailureCause } from '../debugger/causes.js';
import { OAuthError } from './errors.js';
import type { ClientCredentials } from './token-service.js';

const invalid = (message: string) => new OAuthError('invalid_request', message);

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    throw new OAuthError('invalid_client', 'The Basic credentials are not URL-encoded correctly.');
  }
}

/**
 * The client credentials of a token request (RFC 6749 §2.3.1): HTTP Basic with the URL-encoded
 * id and secret, or `client_id` and `client_secret` in the body — one method, never the query.
 */
export function clientCredentials(
  request: FastifyRequest,
  body: { client_id?: string; client_secret?: string },
): ClientCredentials {
  const query = request.query as Record<string, unknown>;
  if (query.client_secret !== undefined) throw invalid('client_secret must not be sent in the URL.');
  const header = request.headers.authorization;
  if (header?.slice(0, 6).toLowerCase() === 'basic ') {
    if (body.client_secret !== undefined)
      throw invalid('Use one client authentication method: HTTP Basic or the body, not both.');
    const pair = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    if (colon === -1) throw new OAuthError('invalid_client', 'The Basic credentials have no colon.');
    const clientId = decode(pair.slice(0, colon));
    if (body.client_id !== undefined && body.client_id !== clientId)
      throw invalid('client_id differs from the Basic credentials.');
    return { clientId, clientSecret: decode(pair.slice(colon + 1)), basic: true };
  }
  if (!body.client_id || !body.client_secret)
    throw new OAuthError(
      'invalid_client',
      'Client authentication is required: HTTP Basic, or client_id and client_secret in the body.',
    );
  return { clientId: body.client_id, clientSecret: body.client_secret, basic: false };
}

/**
 * An app with allowed origins gets requests only from them (seed 003: the Origin header is
 * required then), and CORS answers name the origin; an app without any gets no CORS headers.
 */
export function checkOrigin(client: OAuthClient, request: FastifyRequest, reply: FastifyReply): void {
  if (client.allowedOrigins.length === 0) return;
  const origin = request.headers.origin;
  if (!origin || !client.allowedOrigins.includes(origin)) {
    const allowed = client.allowedOrigins;
    const cause: FailureCause = origin
      ? { kind: 'origin_not_allowed', origin: capped(origin), allowed }
      : { kind: 'origin_missing', allowed };
    throw new OAuthError(
      'unauthorized_client',
      origin
        ? `The Origin ${origin.slice(0, 200)} is not one of ${client.name}'s allowed origins.`
        : `${client.name} has allowed origins: send the Origin header.`,
      { status: 403, failure: { appId: client.id, cause } },
    );
  }
  reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
}

/** Answers a CORS preflight for a token endpoint; the POST itself checks the app's allowed origins. */
export async function preflight(request: FastifyRequest, reply: FastifyReply) {
  const origin = request.headers.origin;
  if (origin) {
    reply
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600')
      .header('vary', 'Origin');
  }
  return reply.status(204).send();
}
