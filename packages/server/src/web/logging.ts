import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';

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
  // A return address can carry a mailed link's secret (an invitation to accept after sign-in).
  'return_to',
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

/** Stdout through a 4 KiB buffer written asynchronously, and at least every second. */
function bufferedStdout() {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const timer = setInterval(() => destination.flush(), 1000).unref();
  destination.on('close', () => clearInterval(timer));
  return destination;
}

/**
 * The process's logger: JSON lines, secrets redacted by name, written through an asynchronous
 * buffered destination (sonic-boom) so a request never waits for stdout. `stream` replaces
 * stdout (tests read the lines).
 */
export function createLogger(level: string, stream?: NodeJS.WritableStream): Logger {
  const destination = stream ?? bufferedStdout();
  return pino(
    {
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
    },
    destination as pino.DestinationStream,
  );
}

/**
 * One compact access-log line per request, at `info`, written when the answer is sent: method,
 * URL with secret query values redacted, status, time, client address and request id. Built from
 * the root logger: no child logger per request.
 */
export function accessLog(app: FastifyInstance, log: Logger): void {
  if (!log.isLevelEnabled('info')) return;
  app.addHook('onResponse', (request, reply, done) => {
    log.info(
      {
        reqId: request.id,
        method: request.method,
        url: redactUrl(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        ip: request.ip,
      },
      'request',
    );
    done();
  });
}

/** Writes out what the asynchronous destination still holds (at shutdown). */
export function flushLog(log: unknown): Promise<void> {
  const logger = log as Partial<Logger>;
  return new Promise((resolve) => (logger.flush ? logger.flush(() => resolve()) : resolve()));
}
