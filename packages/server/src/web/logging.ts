import { hostname } from 'node:os';
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

// The same names as they appear in a query string nobody percent-encoded (the usual case).
const LITERAL_SECRET = new RegExp(`(^|&)(${[...SECRET_PARAMS].join('|')})=[^&]*`, 'gi');

/** The URL as logged: the values of secret-bearing query parameters replaced with `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const query = url.slice(q + 1);
  // Without `%` or `+` every name is literal, so a regular expression finds them all; otherwise
  // names are decoded first (a client could send `c%6Fde=`).
  if (!query.includes('%') && !query.includes('+'))
    return `${url.slice(0, q)}?${query.replace(LITERAL_SECRET, '$1$2=[redacted]')}`;
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

/**
 * Stdout through a 16 KiB buffer written asynchronously, and at least every second: under load a
 * write (a round trip to libuv's thread pool) carries some sixty access lines instead of fifteen.
 */
function bufferedStdout() {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 16384, maxWrite: 65536 });
  const timer = setInterval(() => destination.flush(), 1000).unref();
  destination.on('close', () => clearInterval(timer));
  return destination;
}

/** The process's logger and the stream it writes to (the access log writes there too). */
export interface Logging {
  log: Logger;
  destination: NodeJS.WritableStream;
}

/**
 * The process's logger: JSON lines, secrets redacted by name, written through an asynchronous
 * buffered destination (sonic-boom) so a request never waits for stdout. `stream` replaces
 * stdout (tests read the lines).
 */
export function createLogger(level: string, stream?: NodeJS.WritableStream): Logging {
  const destination = stream ?? bufferedStdout();
  const log = pino(
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
  return { log, destination: destination as NodeJS.WritableStream };
}

/**
 * One compact access-log line per request, at `info`, written when the answer is sent: method,
 * URL with secret query values redacted, status, time, client address and request id. The line
 * has pino's shape (level, time, pid, hostname, msg) so log shippers read it like every other
 * line, but it is built here and written straight to the logger's destination: on a bearer route
 * pino's per-call work (redaction paths, serializers) cost more than the bearer check itself, and
 * nothing in this line needs it.
 *
 * The lines of one event-loop turn are handed to the destination together, once the turn ends.
 * sonic-boom measures the byte length of what it is still holding on every write (a string up to
 * 16 KiB while the previous write is in flight), so a write per request cost more than building
 * the line: batched, the hook's share of a bearer-checked request's CPU fell from 6% to 3%.
 */
export function accessLog(app: FastifyInstance, { log, destination }: Logging): void {
  if (!log.isLevelEnabled('info')) return;
  const host = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())}`;
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending === '') return;
    const lines = pending;
    pending = '';
    destination.write(lines);
  };
  app.addHook('onResponse', (request, reply, done) => {
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    pending += `{"level":30,"time":${Date.now()}${host},"reqId":${JSON.stringify(request.id)},"method":${JSON.stringify(request.method)},"url":${JSON.stringify(redactUrl(request.url))},"status":${reply.statusCode},"ms":${ms},"ip":${JSON.stringify(request.ip)},"msg":"request"}\n`;
    if (pending.length > 65536) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
    done();
  });
  // At shutdown, after the last answer: nothing waits in this batch when the log is flushed.
  app.addHook('onClose', (_app, done) => {
    flush();
    done();
  });
}

/** Writes out what the asynchronous destination still holds (at shutdown). */
export function flushLog(log: unknown): Promise<void> {
  const logger = log as Partial<Logger>;
  return new Promise((resolve) => (logger.flush ? logger.flush(() => resolve()) : resolve()));
}
