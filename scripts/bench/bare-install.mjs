// The yardstick for the install flow and the token exchange: a bare Fastify server that answers
// the same three requests a customer's install makes (a consent page with a form, a form POST
// that redirects with a code, a token POST with a form body) with nothing behind them.
import formbody from '@fastify/formbody';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
await app.register(formbody);
let n = 0;
const page = (id) =>
  `<!doctype html><html><body><form method="post" action="/oauth/consent"><input type="hidden" name="_csrf" value="csrf-${id}"><input type="hidden" name="request_id" value="azr_${id}"><button name="decision" value="authorize">Authorize</button></form></body></html>`;
app.get('/sign-in', async (_request, reply) => reply.type('text/html').send(page(0)));
app.post('/sign-in', async (_request, reply) =>
  reply.header('set-cookie', 'porter_session=x; Path=/').redirect('/', 303),
);
app.get('/integrations/oauth-install', async (_request, reply) => reply.type('text/html').send(page(++n)));
app.post('/oauth/consent', async (request, reply) =>
  reply.redirect(
    `http://localhost:4000/oauth/callback?code=porter_ac_${request.body.request_id}&state=bench`,
    303,
  ),
);
app.post('/oauth/token', async (request) => ({
  access_token: `porter_at_${request.body.code}`,
  token_type: 'Bearer',
  scope: 'events:write',
}));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
