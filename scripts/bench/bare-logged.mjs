// The yardstick with request logs on: bare.mjs's route, with Porter's own logger and access-log
// line (the default configuration's), and nothing else. Its ratio to bare.mjs is what request
// logging alone costs, and so the most any bearer-checked route can reach with logs on.
import Fastify, { LogController } from 'fastify';
import { accessLog, createLogger } from '../../packages/server/dist/web/logging.js';

const logging = createLogger('info');
const app = Fastify({
  loggerInstance: logging.log,
  logController: new LogController({ disableRequestLogging: true }),
  childLoggerFactory: (logger) => logger,
});
accessLog(app, logging);
const body = {
  application: { id: 'app_x', name: 'Bench' },
  company: { id: 'cmp_x', name: 'Bench Co' },
  scopes: ['events:write'],
};
app.get('/v1/me', async () => body);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
