import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { forEachDialect } from '../../server/test/helpers/dialects.js';
import { makeAppCredentials } from '../../server/test/helpers/oauth.js';
import { freePort, startPorter, type TestPorter } from '../../server/test/helpers/porter.js';
import { type PorterAuth, type PorterAuthOptions, porterAuth } from '../src/index.js';

/** The operator's API on Fastify: the middleware as a preHandler, the route answers req.porter. */
async function fastifyApi(options: PorterAuthOptions): Promise<{ url: string; app: FastifyInstance }> {
  const app = Fastify();
  const guard = porterAuth(options);
  app.get(
    '/orders',
    { preHandler: guard },
    async (request) => (request as unknown as { porter: PorterAuth }).porter,
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, app };
}

/** The same on node:http with an Express-style (req, res, next) chain. */
async function connectApi(options: PorterAuthOptions): Promise<{ url: string; server: Server }> {
  const guard = porterAuth(options);
  const server = createServer((req, res) =>
    guard(req, res, () => res.end(JSON.stringify((req as unknown as { porter: PorterAuth }).porter))),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

const call = (url: string, token?: string) =>
  fetch(`${url}/orders`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

forEachDialect('SDK introspection middleware against a real Porter', (dialect) => {
  let porter: TestPorter;
  let secret: string;
  let introspections = 0;
  const counting: typeof fetch = (input, init) => {
    introspections += 1;
    return fetch(input, init);
  };
  before(async () => {
    porter = await startPorter(dialect);
    ({ secret } = await porter.services.introspection.createResourceServer({ name: 'Orders API' }));
  });
  after(() => porter.close());

  for (const [kind, start] of [
    [
      'fastify preHandler',
      async (o: PorterAuthOptions) => fastifyApi(o).then((a) => ({ url: a.url, close: () => a.app.close() })),
    ],
    [
      'express-style middleware',
      async (o: PorterAuthOptions) =>
        connectApi(o).then((a) => ({ url: a.url, close: () => new Promise((r) => a.server.close(r)) })),
    ],
  ] as const) {
    it(`${kind}: passes a token with the scope and answers 401/403 with RFC 6750 challenges`, async () => {
      const { access_token } = await makeAppCredentials(porter, ['events:write'], `MW ${kind}`);
      const narrow = await makeAppCredentials(porter, ['subscriptions:write'], `MW narrow ${kind}`);
      const api = await start({
        porterUrl: porter.url,
        resourceServerSecret: secret,
        scopes: ['events:write'],
      });
      try {
        const ok = await call(api.url, access_token.token);
        assert.equal(ok.status, 200);
        const auth = (await ok.json()) as PorterAuth;
        assert.equal(auth.companyId, access_token.companyId);
        assert.deepEqual(auth.scopes, ['events:write']);
        assert.equal(auth.credential, 'access_token');
        assert.equal(auth.installation?.company.id, access_token.companyId);

        const none = await call(api.url);
        assert.equal(none.status, 401);
        assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="api"');
        const bad = await call(api.url, 'porter_at_nope');
        assert.equal(bad.status, 401);
        assert.match(bad.headers.get('www-authenticate') ?? '', /^Bearer realm="api", error="invalid_token"/);
        assert.equal(((await bad.json()) as { error: string }).error, 'invalid_token');
        const weak = await call(api.url, narrow.access_token.token);
        assert.equal(weak.status, 403);
        assert.match(
          weak.headers.get('www-authenticate') ?? '',
          /error="insufficient_scope".*scope="events:write"/,
        );
      } finally {
        await api.close();
      }
    });
  }

  it('reuses an answer for cacheSeconds, so a revocation reaches it within that time', async () => {
    const { access_token, customer } = await makeAppCredentials(porter, ['events:write'], 'MW cache');
    const api = await fastifyApi({
      porterUrl: porter.url,
      resourceServerSecret: secret,
      cacheSeconds: 1,
      fetch: counting,
    });
    try {
      introspections = 0;
      const answers = await Promise.all([
        call(api.url, access_token.token),
        call(api.url, access_token.token),
      ]);
      assert.deepEqual(
        answers.map((a) => a.status),
        [200, 200],
      );
      assert.equal((await call(api.url, access_token.token)).status, 200);
      assert.equal(introspections, 1);
      const actor = { kind: 'user' as const, userId: customer.user.id, label: customer.email };
      const [installation] = await porter.services.installations.list(actor, customer.company.id);
      await porter.services.installations.uninstall(actor, customer.company.id, installation?.id ?? '');
      assert.equal((await call(api.url, access_token.token)).status, 200, 'still cached');
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await call(api.url, access_token.token)).status, 401);
      assert.equal(introspections, 2);
    } finally {
      await api.app.close();
    }
  });

  it('answers 503 when Porter cannot be asked, and tells onError', async () => {
    const errors: unknown[] = [];
    const down = `http://127.0.0.1:${await freePort()}`;
    const api = await fastifyApi({
      porterUrl: down,
      resourceServerSecret: secret,
      onError: (e) => errors.push(e),
    });
    const wrong = await fastifyApi({ porterUrl: porter.url, resourceServerSecret: 'porter_rs_wrong' });
    try {
      const res = await call(api.url, 'porter_at_x');
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as { error: string }).error, 'temporarily_unavailable');
      assert.equal(errors.length, 1);
      assert.equal((await call(wrong.url, 'porter_at_x')).status, 503);
    } finally {
      await api.app.close();
      await wrong.app.close();
    }
  });
});
