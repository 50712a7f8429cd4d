import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi, makeDeveloper } from './helpers/api.js';
import { forEachDialect } from './helpers/dialects.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

const newApp = { name: 'Shipit', description: 'Ships orders', scopes: ['events:write', 'ecommerce:write'] };

forEachDialect('developer API', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('creates a private app whose API key works on /v1/me, once shown', async () => {
    const dev = await makeDeveloper(porter);
    const created = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'private');
    assert.match(created.body.id, /^app_/);
    assert.match(created.body.api_key, /^porter_ak_[0-9A-Za-z]{49}$/);
    const me = await callApi(porter, 'GET', '/v1/me', created.body.api_key);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.application, { id: created.body.id, name: 'Shipit' });
    assert.deepEqual(me.body.company, { id: dev.company.id, name: dev.company.name });
    assert.deepEqual(me.body.scopes, ['events:write', 'ecommerce:write']);
    const got = await callApi(porter, 'GET', `/developer/v1/apps/${created.body.id}`, dev.token);
    assert.equal(got.body.api_key, undefined, 'the key is never shown again');
  });

  it('enables distribution: client ID, secret once, distribution URL, unlisted', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    const res = await callApi(porter, 'POST', `/developer/v1/apps/${app.id}/distribution`, dev.token, {
      redirect_urls: ['https://shipit.example/callback?src=porter', 'myapp://callback'],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'unlisted');
    assert.match(res.body.client_secret, /^porter_cs_/);
    assert.ok(res.body.client_id);
    const url = new URL(res.body.distribution_url);
    assert.equal(`${url.origin}${url.pathname}`, `${porter.url}/integrations/oauth-install`);
    assert.equal(url.searchParams.get('client_id'), res.body.client_id);
    assert.equal(url.searchParams.get('redirect_uri'), 'https://shipit.example/callback?src=porter');
    assert.equal(url.searchParams.get('scope'), 'events:write ecommerce:write');
    assert.deepEqual(res.body.redirect_urls, [
      'https://shipit.example/callback?src=porter',
      'myapp://callback',
    ]);
    const again = await callApi(porter, 'POST', `/developer/v1/apps/${app.id}/distribution`, dev.token, {
      redirect_urls: ['https://x.example/cb'],
    });
    assert.equal(again.status, 409);
  });

  it('regenerates the API key: the old one stops working at once', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    const res = await callApi(porter, 'POST', `/developer/v1/apps/${app.id}/api-key`, dev.token);
    assert.equal(res.status, 200);
    assert.notEqual(res.body.api_key, app.api_key);
    assert.equal((await callApi(porter, 'GET', '/v1/me', app.api_key)).status, 401);
    assert.equal((await callApi(porter, 'GET', '/v1/me', res.body.api_key)).status, 200);
  });

  it('regenerates the client secret and records it in the audit log', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    const noDist = await callApi(porter, 'POST', `/developer/v1/apps/${app.id}/client-secret`, dev.token);
    assert.equal(noDist.status, 409);
    const dist = await callApi(porter, 'POST', `/developer/v1/apps/${app.id}/distribution`, dev.token, {
      redirect_urls: ['https://a.example/cb'],
    });
    const res = await callApi(porter, 'POST', `/developer/v1/apps/${app.id}/client-secret`, dev.token);
    assert.equal(res.status, 200);
    assert.equal(res.body.client_id, dist.body.client_id);
    assert.notEqual(res.body.client_secret, dist.body.client_secret);
    const audit = await callApi(porter, 'GET', `/developer/v1/apps/${app.id}/audit`, dev.token);
    assert.deepEqual(
      audit.body.events.map((e: { action: string }) => e.action),
      ['app.client_secret_regenerated', 'app.distribution_enabled', 'app.created'],
    );
    assert.equal(audit.body.events[0].actor, dev.email);
  });

  it('updates settings with PATCH and validates each field', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    const ok = await callApi(porter, 'PATCH', `/developer/v1/apps/${app.id}`, dev.token, {
      name: 'Shipit 2',
      allowed_origins: ['https://shipit.example'],
      homepage_url: 'https://shipit.example',
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.name, 'Shipit 2');
    assert.deepEqual(ok.body.allowed_origins, ['https://shipit.example']);
    const bad = await callApi(porter, 'PATCH', `/developer/v1/apps/${app.id}`, dev.token, {
      allowed_origins: ['https://shipit.example/path'],
    });
    assert.equal(bad.status, 400);
    assert.match(bad.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.ok(bad.body.errors.allowed_origins);
  });

  it('deletes an app: 204, its API key is revoked, and it is gone', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    const del = await callApi(porter, 'DELETE', `/developer/v1/apps/${app.id}`, dev.token);
    assert.equal(del.status, 204);
    assert.equal((await callApi(porter, 'GET', '/v1/me', app.api_key)).status, 401);
    assert.equal((await callApi(porter, 'GET', `/developer/v1/apps/${app.id}`, dev.token)).status, 404);
    const list = await callApi(porter, 'GET', '/developer/v1/apps', dev.token);
    assert.equal(
      list.body.apps.some((a: { id: string }) => a.id === app.id),
      false,
    );
  });

  it("answers another company's app with 404 for every operation", async () => {
    const owner = await makeDeveloper(porter);
    const other = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', owner.token, newApp);
    const ops: [string, string, unknown?][] = [
      ['GET', ''],
      ['PATCH', '', { name: 'Stolen' }],
      ['POST', '/distribution', { redirect_urls: ['https://evil.example/cb'] }],
      ['POST', '/client-secret'],
      ['POST', '/api-key'],
      ['GET', '/audit'],
      ['DELETE', ''],
    ];
    for (const [method, suffix, body] of ops) {
      const res = await callApi(porter, method, `/developer/v1/apps/${app.id}${suffix}`, other.token, body);
      assert.equal(res.status, 404, `${method} ${suffix}`);
      assert.equal(res.body.code, 'not_found');
    }
    assert.equal((await callApi(porter, 'GET', '/v1/me', app.api_key)).status, 200, 'untouched');
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', other.token)).body.apps.length, 0);
  });

  it('refuses plain members of the company', async () => {
    const owner = await makeDeveloper(porter);
    const member = await porter.services.accounts.createUser({
      email: `member-${Date.now()}@example.test`,
      password: 'long enough pw',
    });
    await porter.services.accounts.addMember({
      companyId: owner.company.id,
      email: member.email,
      role: 'member',
    });
    await assert.rejects(
      porter.services.credentials.createPersonalToken(
        { kind: 'user', userId: member.id, label: member.email },
        owner.company.id,
        'x',
      ),
      /Only owners and admins/,
    );
  });

  it('answers bad input with 400 problem JSON naming the field', async () => {
    const dev = await makeDeveloper(porter);
    const cases: [unknown, string][] = [
      [{ ...newApp, name: '' }, 'name'],
      [{ ...newApp, name: 'x'.repeat(101) }, 'name'],
      [{ ...newApp, scopes: ['events:write', 'admin:everything'] }, 'scopes'],
      [{ ...newApp, scopes: [] }, 'scopes'],
      [{ ...newApp, scopes: 'events:write' }, 'scopes'],
      [{ ...newApp, redirect_urls: ['http://example.com/cb'] }, 'redirect_urls'],
      [{ ...newApp, redirect_urls: ['https://example.com/cb#frag'] }, 'redirect_urls'],
      [{ ...newApp, redirect_urls: ['/relative'] }, 'redirect_urls'],
      [{ ...newApp, redirect_urls: ['javascript://alert(1)'] }, 'redirect_urls'],
      [
        { ...newApp, redirect_urls: Array.from({ length: 11 }, (_, i) => `https://e.example/${i}`) },
        'redirect_urls',
      ],
      [{ ...newApp, webhook_url: 'ftp://example.com' }, 'webhook_url'],
      [{ ...newApp, logo_url: 42 }, 'logo_url'],
    ];
    for (const [body, field] of cases) {
      const res = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, body);
      assert.equal(res.status, 400, JSON.stringify(body).slice(0, 100));
      assert.equal(res.body.code, 'invalid_request');
      assert.ok(res.body.errors[field], `${field}: ${JSON.stringify(res.body)}`);
    }
    const notJson = await fetch(`${porter.url}/developer/v1/apps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dev.token}`, 'content-type': 'application/json' },
      body: '{"name":',
    });
    assert.equal(notJson.status, 400);
    const wrongType = await fetch(`${porter.url}/developer/v1/apps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${dev.token}`, 'content-type': 'application/xml' },
      body: '<app/>',
    });
    assert.equal(wrongType.status, 415);
  });

  it('accepts loopback http, custom schemes and query strings in redirect URLs, kept exactly', async () => {
    const dev = await makeDeveloper(porter);
    const urls = [
      'http://localhost:8080/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:3000/cb',
      'myapp://callback',
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop/cb.html',
      'https://example.com/cb?b=2&a=1',
    ];
    const res = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, {
      ...newApp,
      redirect_urls: urls,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(res.body.redirect_urls, urls);
  });

  it('needs a personal token: API keys and bad tokens get 401 with an RFC 6750 challenge', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    const none = await callApi(porter, 'GET', '/developer/v1/apps');
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="porter"');
    const mistyped = `${dev.token.slice(0, -1)}${dev.token.endsWith('x') ? 'y' : 'x'}`;
    for (const token of [app.api_key, 'garbage', mistyped]) {
      const res = await callApi(porter, 'GET', '/developer/v1/apps', token);
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    }
  });

  it('publishes its OpenAPI document and serves the docs page', async () => {
    const spec = await (await fetch(`${porter.url}/openapi.json`)).json();
    assert.equal(spec.openapi.startsWith('3.'), true);
    for (const path of [
      '/developer/v1/apps',
      '/developer/v1/apps/{id}',
      '/developer/v1/apps/{id}/distribution',
    ]) {
      assert.ok(spec.paths[path], path);
    }
    assert.ok(spec.paths['/developer/v1/apps'].post.requestBody);
    const page = await fetch(`${porter.url}/docs/`);
    assert.equal(page.status, 200);
  });
});

forEachDialect('concurrent changes to one app', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('leaves exactly one live API key after parallel regenerations, and it is the one last returned', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        callApi(porter, 'POST', `/developer/v1/apps/${app.id}/api-key`, dev.token),
      ),
    );
    assert.ok(
      results.every((r) => r.status === 200 || r.status === 409),
      results.map((r) => r.status).join(','),
    );
    const live = await porter.db
      .selectFrom('tokens')
      .select('id')
      .where('app_id', '=', app.id)
      .where('kind', '=', 'api_key')
      .where('revoked_at', 'is', null)
      .execute();
    assert.equal(live.length, 1);
    const working = [];
    for (const r of results.filter((x) => x.status === 200)) {
      if ((await callApi(porter, 'GET', '/v1/me', r.body.api_key)).status === 200)
        working.push(r.body.api_key);
    }
    assert.equal(working.length, 1, 'only one of the returned keys works');
  });

  it('enables distribution once when asked in parallel: one secret, and it works', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, newApp);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        callApi(porter, 'POST', `/developer/v1/apps/${app.id}/distribution`, dev.token, {
          redirect_urls: [`https://r${i}.example/cb`],
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, results.map((r) => r.status).join(','));
    assert.ok(results.every((r) => r.status === 200 || r.status === 409));
    const stored = await callApi(porter, 'GET', `/developer/v1/apps/${app.id}`, dev.token);
    assert.equal(stored.body.client_id, ok[0]?.body.client_id);
  });
});
