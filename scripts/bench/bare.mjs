// The yardstick: a bare Fastify route answering the same shape of JSON as GET /v1/me.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
const body = {
  application: { id: 'app_x', name: 'Bench' },
  company: { id: 'cmp_x', name: 'Bench Co' },
  scopes: ['events:write'],
};
app.get('/v1/me', async () => body);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
