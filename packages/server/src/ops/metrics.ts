import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../config.js';
import { RequestDurations } from './request-durations.js';
import type { Signals } from './signals.js';

/** The Prometheus registry of one process: its counters, read from Signals at scrape time, and process metrics. */
function registry(signals: Signals): Registry {
  const register = new Registry();
  collectDefaultMetrics({ register, prefix: 'porter_' });
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [register],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counter(
    'porter_bearer_cache_hits_total',
    'Bearer checks answered from the one-second cache',
    () => signals.bearerCacheHits,
  );
  counter(
    'porter_bearer_cache_misses_total',
    'Bearer checks that read the database',
    () => signals.bearerCacheMisses,
  );
  counter(
    'porter_rate_limited_total',
    'Requests refused with 429 by the per-credential limit',
    () => signals.rateLimited,
  );
  counter(
    'porter_installs_total',
    'Apps installed into a company (first install or after an uninstall)',
    () => signals.installs,
  );
  counter('porter_uninstalls_total', 'Apps uninstalled by a customer', () => signals.uninstalls);
  new Counter({
    name: 'porter_token_exchanges_total',
    help: 'Authorization code exchanges by outcome: issued, or the OAuth error code',
    labelNames: ['outcome'],
    registers: [register],
    collect() {
      this.reset();
      for (const [outcome, n] of signals.exchanges) this.inc({ outcome }, n);
    },
  });
  return register;
}

/** The configured secret compared in constant time (hashes of equal length, whatever was sent). */
function allowed(token: string | undefined, authorization: string | undefined): boolean {
  if (token === undefined) return true;
  const sent = createHash('sha256')
    .update(authorization ?? '')
    .digest();
  return timingSafeEqual(sent, createHash('sha256').update(`Bearer ${token}`).digest());
}

/**
 * `GET /metrics` in Prometheus format, only when configured: behind `PORTER_METRICS_TOKEN` as a
 * bearer secret on the main port, and/or on `PORTER_METRICS_PORT` (a plain HTTP listener meant
 * for the private network; it asks for the token too when one is set). Neither set: no
 * `/metrics` anywhere, and no per-request recording either.
 */
export function metricsRoutes(app: FastifyInstance, config: Config, signals: Signals): void {
  const { token, port } = config.metrics;
  if (token === undefined && port === undefined) return;
  const register = registry(signals);
  const durations = new RequestDurations(app);
  const render = async () => `${await register.metrics()}\n${durations.render()}`;
  if (token !== undefined)
    app.get('/metrics', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!allowed(token, request.headers.authorization))
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer realm="porter-metrics"')
          .send({ error: 'unauthorized' });
      return reply.type(register.contentType).send(await render());
    });
  if (port !== undefined) separateListener(app, config, port, render);
}

function separateListener(app: FastifyInstance, config: Config, port: number, render: () => Promise<string>) {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics' || req.method !== 'GET') return res.writeHead(404).end();
    if (!allowed(config.metrics.token, req.headers.authorization)) return res.writeHead(401).end();
    render().then(
      (text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  app.addHook('onListen', (done) => {
    // A port already in use is logged by Fastify; the main port keeps serving.
    server.once('error', done);
    server.listen(port, config.host, () => done());
  });
  app.addHook('onClose', (_app, done) => server.close(() => done()));
}
