import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeAppCredentials } from './helpers/oauth.js';
import { freePort, startPorter, type TestPorter } from './helpers/porter.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
if (!NGINX)
  console.warn(
    '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
      '!!  NGINX IS NOT INSTALLED: the nginx forward-auth tests are SKIPPED.\n' +
      '!!  apt-get install nginx-light (.ci/run does) to run them.\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n',
  );

/** The README's nginx configuration, with test paths and ports. */
function nginxConfig(dir: string, port: number, porterUrl: string, upstreamPort: number) {
  return `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  # nginx passes Porter's challenge on a 401 itself; on a 403 (insufficient_scope) it must be told.
  map "$status:$porter_challenge" $porter_403_challenge {
    "~^403:(?<challenge>.+)$" $challenge;
    default "";
  }

  server {
    listen 127.0.0.1:${port};

    # Porter checks the bearer credential and the scope this location sets.
    location = /_porter_auth {
      internal;
      proxy_pass ${porterUrl}/auth/check;
      proxy_method GET;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Porter-Scope $porter_scope;
    }

    location /orders/ {
      set $porter_scope "ecommerce:write";
      auth_request /_porter_auth;
      auth_request_set $porter_company $upstream_http_x_porter_company;
      auth_request_set $porter_app $upstream_http_x_porter_app;
      auth_request_set $porter_installation $upstream_http_x_porter_installation;
      auth_request_set $porter_scopes $upstream_http_x_porter_scopes;
      auth_request_set $porter_challenge $upstream_http_www_authenticate;
      add_header WWW-Authenticate $porter_403_challenge always;
      proxy_set_header X-Porter-Company $porter_company;
      proxy_set_header X-Porter-App $porter_app;
      proxy_set_header X-Porter-Installation $porter_installation;
      proxy_set_header X-Porter-Scopes $porter_scopes;
      proxy_set_header Authorization "";
      proxy_pass http://127.0.0.1:${upstreamPort};
    }
  }
}
`;
}

function waitForPort(port: number, withinMs = 5000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() - start > withinMs) reject(new Error(`nothing listens on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** nginx in the foreground with a temporary prefix, config and logs; never a system service. */
async function startNginx(porterUrl: string, upstreamPort: number) {
  const dir = mkdtempSync(join(tmpdir(), 'porter-nginx-'));
  chmodSync(dir, 0o755); // workers run as nobody when the test runs as root
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, porterUrl, upstreamPort));
  const child: ChildProcess = spawn(
    NGINX ?? 'nginx',
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  try {
    await waitForPort(port);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`nginx did not start: ${stderr} ${readFileSync(join(dir, 'error.log'), 'utf8')}`, {
      cause: err,
    });
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The operator's existing API: it records what reaches it and trusts nginx's X-Porter-* headers. */
async function startUpstream() {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ company: req.headers['x-porter-company'], orders: [] }));
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { port, seen, close: () => new Promise((r) => server.close(r)) };
}

forEachDialect('forward-auth', (dialect) => {
  let porter: TestPorter;
  let shop: Awaited<ReturnType<typeof makeAppCredentials>>;
  let events: Awaited<ReturnType<typeof makeAppCredentials>>;
  before(async () => {
    porter = await startPorter(dialect);
    shop = await makeAppCredentials(porter, ['ecommerce:write', 'events:write'], 'Shop App');
    events = await makeAppCredentials(porter, ['events:write'], 'Events App');
  });
  after(() => porter.close());

  it('answers 200 naming company, app, installation and scopes, or 401/403', async () => {
    const check = (token: string | undefined, scope?: string) =>
      callApi(porter, 'GET', '/auth/check', token, undefined, scope ? { 'x-porter-scope': scope } : {});
    const ok = await check(shop.access_token.token, 'ecommerce:write events:write');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-porter-company'), shop.customer.company.id);
    assert.equal(ok.headers.get('x-porter-app'), shop.partner.app.id);
    assert.match(ok.headers.get('x-porter-installation') ?? '', /^ins_/);
    assert.equal(ok.headers.get('x-porter-scopes'), 'ecommerce:write events:write');
    const key = await check(shop.api_key.token);
    assert.equal(key.headers.get('x-porter-company'), shop.partner.dev.company.id);
    assert.equal(key.headers.get('x-porter-installation'), null);
    assert.equal((await check(undefined)).status, 401);
    assert.equal((await check('porter_at_nope')).status, 401);
    const denied = await check(events.api_key.token, 'events:write,ecommerce:write');
    assert.equal(denied.status, 403);
    assert.match(
      denied.headers.get('www-authenticate') ?? '',
      /error="insufficient_scope".*scope="ecommerce:write"/,
    );
  });

  describe('behind a real nginx', { skip: NGINX ? false : 'nginx is not installed' }, () => {
    let nginx: Awaited<ReturnType<typeof startNginx>>;
    let upstream: Awaited<ReturnType<typeof startUpstream>>;
    before(async () => {
      upstream = await startUpstream();
      nginx = await startNginx(porter.url, upstream.port);
    });
    after(async () => {
      await nginx?.stop();
      await upstream?.close();
    });

    const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
      fetch(`${nginx.url}${path}`, {
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });

    it('lets through only credentials with the scope, telling the upstream whose they are', async () => {
      for (const kind of ['api_key', 'access_token'] as const) {
        const before = upstream.seen.length;
        const res = await get('/orders/42', shop[kind].token, { 'x-porter-company': 'cmp_forged' });
        assert.equal(res.status, 200, kind);
        assert.equal((await res.json()).company, shop[kind].companyId);
        const seen = upstream.seen[before];
        assert.equal(seen?.headers['x-porter-company'], shop[kind].companyId, 'a forged header is replaced');
        assert.equal(seen?.headers['x-porter-app'], shop.partner.app.id);
        assert.equal(seen?.headers.authorization, undefined, 'the credential stops at nginx');
      }
    });

    it('refuses a missing, unknown or revoked credential (401) and one without the scope (403)', async () => {
      const before = upstream.seen.length;
      const none = await get('/orders/1');
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="porter"');
      assert.equal((await get('/orders/1', 'porter_ak_not_a_real_key')).status, 401);
      for (const kind of ['api_key', 'access_token'] as const) {
        const res = await get('/orders/1', events[kind].token);
        assert.equal(res.status, 403, kind);
        assert.match(
          res.headers.get('www-authenticate') ?? '',
          /insufficient_scope.*scope="ecommerce:write"/,
        );
      }
      const customer = shop.customer;
      const installed = await porter.services.installations.list(
        { kind: 'user', userId: customer.user.id, label: customer.email },
        customer.company.id,
      );
      await porter.services.installations.uninstall(
        { kind: 'user', userId: customer.user.id, label: customer.email },
        customer.company.id,
        installed[0]?.id ?? '',
      );
      assert.equal(
        (await get('/orders/1', shop.access_token.token)).status,
        401,
        'uninstalled: revoked at once',
      );
      assert.equal(upstream.seen.length, before, 'nothing refused reached the upstream');
    });

    it('passes a POST body to the upstream while Porter checks the credential alone', async () => {
      const res = await fetch(`${nginx.url}/orders/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${shop.api_key.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ sku: 'mug' }),
      });
      assert.equal(res.status, 200);
      const seen = upstream.seen.at(-1);
      assert.equal(seen?.method, 'POST');
      assert.equal(seen?.body, '{"sku":"mug"}');
    });
  });
});
