import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/** RFC 8414 §2: what a client library needs to find Porter's endpoints and features. */
export function authorizationServerMetadata(config: Pick<Config, 'publicUrl' | 'scopes'>) {
  const base = config.publicUrl;
  const clientAuth = ['client_secret_basic', 'client_secret_post'];
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    scopes_supported: Object.keys(config.scopes),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: clientAuth,
    revocation_endpoint_auth_methods_supported: clientAuth,
    introspection_endpoint_auth_methods_supported: ['bearer'],
    // RFC 9207: every authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${base}/docs`,
  };
}

/** `GET /.well-known/oauth-authorization-server`. */
export function metadataRoute(app: FastifyInstance, { config }: { config: Config }) {
  const metadata = authorizationServerMetadata(config);
  app.get('/.well-known/oauth-authorization-server', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').send(metadata),
  );
}
