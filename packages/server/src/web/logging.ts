import type { FastifyRequest } from 'fastify';

// Query parameters that may carry secrets, by decoded name; their values never reach the log.
const SECRET_PARAMS = new Set([
  'code',
  'auth_code',
  'client_secret',
  'app_client_secret',
  'code_verifier',
  'access_token',
  'refresh_token',
  'token',
  'password',
  'api_key',
  '_csrf',
  'state',
]);

/** The URL as logged: the values of secret-bearing query parameters replaced with `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let redacted = false;
  for (const name of new Set(params.keys())) {
    if (SECRET_PARAMS.has(name.toLowerCase())) {
      params.set(name, '[redacted]');
      redacted = true;
    }
  }
  return redacted
    ? `${url.slice(0, q)}?${params.toString().replaceAll('%5Bredacted%5D', '[redacted]')}`
    : url;
}

/** Pino options: request lines without headers or secrets; anything secret-named is censored. */
export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.password_hash',
        '*.client_secret',
        '*.api_key',
        '*.token',
        '*.access_token',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(request: FastifyRequest) {
        return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
      },
    },
  };
}
