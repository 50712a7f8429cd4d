import type { FastifyRequest } from 'fastify';

// Query parameters that may carry secrets; they are replaced before a URL reaches the log.
const SECRET_PARAMS =
  /([?&](?:code|client_secret|app_client_secret|auth_code|access_token|token|password|api_key)=)[^&#]*/gi;

/** The URL as logged: secret-bearing query values replaced with `[redacted]`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
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
