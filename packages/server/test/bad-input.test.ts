import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi, makeDeveloper } from './helpers/api.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

// Hostile bodies for every form: each must get a clear 4xx (or the form again), never a 500.
const HOSTILE: Record<string, string | string[]>[] = [
  {},
  { name: ['a', 'b'], email: ['x@y.example', 'z@y.example'], password: ['p', 'q'], company_id: ['a', 'b'] },
  {
    name: 'x'.repeat(5000),
    description: 'y'.repeat(5000),
    token_name: 'z'.repeat(5000),
    company_name: 'c'.repeat(5000),
  },
  {
    name: '\u0000\u0007',
    redirect_urls: '\u0000',
    scopes: ['events:write', '\u0000'],
    confirm_name: '\u0000',
  },
  {
    email: '💥@💥',
    password: '💥'.repeat(300),
    redirect_urls: 'https://ex ample.com\n//x\nhttps://[::1',
    homepage_url: 'https://',
  },
];

forEachDialect('bad input everywhere', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('answers hostile form bodies on every page form with 4xx or the form, never a 500', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, {
      name: 'Target',
      scopes: ['events:write'],
    });
    const client = new PageClient(porter.url);
    await client.signIn(dev.email, dev.password);
    const forms = [
      '/sign-in',
      '/account/company',
      '/developer/apps',
      `/developer/apps/${app.id}/settings`,
      `/developer/apps/${app.id}/distribution`,
      `/developer/apps/${app.id}/client-secret`,
      `/developer/apps/${app.id}/delete`,
      '/developer/test-companies',
      '/developer/tokens',
      '/developer/tokens/tok_nope/revoke',
      `/developer/apps/${app.id}/api-key`,
      `/developer/apps/${app.id}/webhooks/url`,
      `/developer/apps/${app.id}/webhooks/secret`,
      `/developer/apps/${app.id}/webhooks/rotate`,
      `/developer/apps/${app.id}/webhooks/test`,
      `/developer/apps/${app.id}/webhooks/deliveries/whe_nope/redeliver`,
    ];
    for (const path of forms) {
      const { csrf } = await client.page('/developer');
      for (const hostile of HOSTILE) {
        const body = new URLSearchParams({ _csrf: csrf });
        for (const [k, v] of Object.entries(hostile)) for (const one of [v].flat()) body.append(k, one);
        const res = await client.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: body.toString(),
        });
        assert.ok(res.status < 500, `${path} ${JSON.stringify(hostile).slice(0, 80)} → ${res.status}`);
        // Post/Redirect/Get: the page the form leads to must render too.
        let landed = res;
        for (let hops = 0; landed.status === 303 && hops < 3; hops++)
          landed = (await client.follow(landed)).res;
        assert.ok(landed.status < 500, `${path} → ${res.headers.get('location')} → ${landed.status}`);
        assert.match(landed.headers.get('content-type') ?? '', /text\/html/, path);
      }
      const noCsrf = await client.post(path, { name: 'x' });
      assert.equal(noCsrf.status, 403, `${path} without CSRF token`);
    }
    const me = await callApi(porter, 'GET', `/developer/v1/apps/${app.id}`, dev.token);
    assert.equal(me.status, 200, 'the app survived');
  });

  it('answers hostile JSON on the developer API with 400 problem JSON, never a 500', async () => {
    const dev = await makeDeveloper(porter);
    const { body: app } = await callApi(porter, 'POST', '/developer/v1/apps', dev.token, {
      name: 'Target',
      scopes: ['events:write'],
    });
    const bodies: unknown[] = [
      null,
      [],
      'string',
      42,
      { name: null, scopes: null },
      { name: { nested: true }, scopes: [{}] },
      { name: 'ok', scopes: ['events:write'], redirect_urls: 'https://not-a-list.example' },
      { name: 'ok', scopes: ['events:write'], allowed_origins: [null] },
      { name: 'ok', scopes: ['events:write'], redirect_urls: ['\u0000'] },
      { name: 'ok', scopes: ['events:write'], webhook_url: ['https://a.example'] },
      { name: 'ok', scopes: ['events:write'], webhook_url: 'https://[::ffff:127.0.0.1]:99999/x' },
      { name: 'x'.repeat(60_000), scopes: ['events:write'] },
    ];
    for (const body of bodies) {
      for (const [method, path] of [
        ['POST', '/developer/v1/apps'],
        ['PATCH', `/developer/v1/apps/${app.id}`],
        ['POST', `/developer/v1/apps/${app.id}/distribution`],
      ] as const) {
        const res = await callApi(porter, method, path, dev.token, body);
        assert.ok(
          res.status === 400 || res.status === 413,
          `${method} ${path} ${JSON.stringify(body).slice(0, 60)} → ${res.status}`,
        );
        assert.equal(typeof res.body.code, 'string');
      }
    }
    // Authentication comes before the body is read: no credential, bad body → 401, not 400.
    for (const token of [undefined, 'porter_pt_nope']) {
      const res = await callApi(porter, 'POST', '/developer/v1/apps', token, { name: null });
      assert.equal(res.status, 401, `token ${token}`);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="porter"/);
      const raw = await fetch(`${porter.url}/developer/v1/apps`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: '{not json',
      });
      assert.equal(raw.status, 401, 'even a malformed body');
    }
    const long = await callApi(porter, 'GET', `/developer/v1/apps/${'a'.repeat(500)}`, dev.token);
    assert.equal(long.status, 414, 'an over-long id is refused before routing');
    const unknown = await callApi(porter, 'GET', '/developer/v1/apps/app_doesnotexist', dev.token);
    assert.equal(unknown.status, 404);
  });

  it('answers /v1/me with RFC 6750 challenges for missing, malformed, unknown and revoked credentials', async () => {
    const { user, company, email, password } = await makeUser(porter);
    const actor = { kind: 'user' as const, userId: user.id, label: 'test' };
    const { app, apiKey } = await porter.services.apps.create(actor, company.id, {
      name: 'Me',
      scopes: ['events:write'],
    });
    const missing = await fetch(`${porter.url}/v1/me`);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="porter"');
    const cases: Record<string, string> = {
      'not bearer': `Basic ${Buffer.from('a:b').toString('base64')}`,
      'empty bearer': 'Bearer ',
      malformed: 'Bearer not-a-porter-token',
      'bad checksum': `Bearer ${apiKey.slice(0, -1)}${apiKey.endsWith('0') ? '1' : '0'}`,
      unknown: `Bearer porter_ak_${'A'.repeat(43)}${'0'.repeat(6)}`,
    };
    for (const [name, header] of Object.entries(cases)) {
      const res = await fetch(`${porter.url}/v1/me`, { headers: { authorization: header } });
      assert.equal(res.status, 401, name);
      assert.match(
        res.headers.get('www-authenticate') ?? '',
        /^Bearer realm="porter", error="invalid_token"/,
        name,
      );
      assert.equal((await res.json()).error, 'invalid_token');
    }
    assert.equal((await callApi(porter, 'GET', '/v1/me', apiKey)).status, 200);
    // Revoked from the portal (this process): refused at once, though the check was cached.
    const client = new PageClient(porter.url);
    await client.signIn(email, password);
    const page = await client.page(`/developer/apps/${app.id}`);
    await client.post(`/developer/apps/${app.id}/api-key`, { _csrf: page.csrf });
    const revoked = await callApi(porter, 'GET', '/v1/me', apiKey);
    assert.equal(revoked.status, 401);
    assert.match(revoked.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });
});
