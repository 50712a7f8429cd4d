// The yardstick: a bare Fastify route answering the same shape of JSON as GET /v1/me.
// With BENCH_REQUEST_LOG=1 it logs each request as Porter does by default (the same logger,
// destination and access-log line) and nothing else: its ratio to the plain route is what the
// request log alone costs, so the most any route can reach with request logs on.
import Fastify, { LogController } from 'fastify';
import { accessLog, createLogger } from '../../packages/server/dist/web/logging.js';

const logging = process.env.BENCH_REQUEST_LOG === '1' ? createLogger('info') : undefined;
const app = logging
  ? Fastify({
      loggerInstance: logging.log,
      logController: new LogController({ disableRequestLogging: true }),
      childLoggerFactory: (logger) => logger,
    })
  : Fastify({ logger: false });
if (logging) accessLog(app, logging);
const body = {
  application: { id: 'app_x', name: 'Bench' },
  company: { id: 'cmp_x', name: 'Bench Co' },
  scopes: ['events:write'],
};
app.get('/v1/me', async () => body);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
