import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { forEachDialect } from './helpers/dialects.js';
import { answerConsent, makeCustomer, makeDistributedApp, openConsent, postToken } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

// Each seed's client convention, step by step as its document tells an app developer.
forEachDialect('the seeds’ conventions', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect, { PORTER_CODE_TTL: '900' });
  });
  after(() => porter.close());

  it('Teamwork App Login Flow: /launchpad/login, then a JSON token.json exchange with installation and user', async () => {
    const partner = await makeDistributedApp(porter, {
      redirectUrls: ['https://partner.example/tw/callback'],
      allowedOrigins: ['https://partner.example'],
    });
    const customer = await makeCustomer(porter, { company: 'Teamwork Customer' });
    const login = `/launchpad/login?redirect_uri=${encodeURIComponent('https://partner.example/tw/callback')}&client_id=${partner.clientId}&state=tw-state`;
    const consent = await openConsent(customer.client, `${porter.url}${login}`);
    assert.match(consent.html, /Partner Sync wants to access your company/);
    const { location } = await answerConsent(customer.client, consent, 'authorize');
    const back = new URL(location);
    assert.equal(back.searchParams.get('state'), 'tw-state');
    const code = back.searchParams.get('code') ?? '';
    const body = {
      code,
      client_id: partner.clientId,
      redirect_uri: 'https://partner.example/tw/callback',
      client_secret: partner.clientSecret,
    };
    const noOrigin = await postToken(porter, body, { json: true, path: '/launchpad/v1/token.json' });
    assert.equal(noOrigin.status, 403, 'an app with allowed origins must send the Origin header');
    const codeAgain =
      new URL(
        (
          await answerConsent(
            customer.client,
            await openConsent(customer.client, `${porter.url}${login}`),
            'authorize',
          )
        ).location,
      ).searchParams.get('code') ?? '';
    const res = await postToken(
      porter,
      { ...body, code: codeAgain },
      {
        json: true,
        path: '/launchpad/v1/token.json',
        headers: { origin: 'https://partner.example' },
      },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'ok');
    assert.match(res.body.access_token, /^porter_at_/);
    assert.equal(res.body.installation.region, 'US');
    assert.equal(res.body.installation.apiEndPoint, porter.url);
    assert.equal(res.body.installation.company.id, customer.company.id);
    assert.equal(res.body.installation.company.name, 'Teamwork Customer');
    assert.equal(res.body.user.email, customer.email);
    assert.equal(typeof res.body.user.firstName, 'string');
    const me = await callApi(porter, 'GET', '/v1/me', res.body.access_token);
    assert.equal(me.body.company.id, customer.company.id);
  });

  it('NotifyVisitors: app_client_id and app_redirect_uri, then auth_code and app_client_secret', async () => {
    const partner = await makeDistributedApp(porter, {
      redirectUrls: ['https://www.example.com/oauth/callback'],
    });
    const customer = await makeCustomer(porter, { company: 'NotifyVisitors Customer' });
    const start = `${porter.url}/api/oauth/authorize?app_client_id=${partner.clientId}&app_redirect_uri=https://www.example.com/oauth/callback`;
    const consent = await openConsent(customer.client, start);
    const { location } = await answerConsent(customer.client, consent, 'authorize');
    const code = new URL(location).searchParams.get('code') ?? '';
    const wrong = await postToken(
      porter,
      { auth_code: code, app_client_secret: 'porter_cs_wrong' },
      { path: '/api/oauth/access_token' },
    );
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.status, 'error');
    assert.ok(wrong.body.message);
    const res = await postToken(
      porter,
      { auth_code: code, app_client_secret: partner.clientSecret },
      { path: '/api/oauth/access_token' },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), ['App_access_token', 'message', 'status']);
    assert.equal(res.body.status, 'success');
    assert.equal(res.body.message, 'Access token generated.');
    const me = await callApi(porter, 'GET', '/v1/me', res.body.App_access_token);
    assert.equal(me.body.company.name, 'NotifyVisitors Customer');
    const replay = await postToken(
      porter,
      { auth_code: code, app_client_secret: partner.clientSecret },
      { json: true, path: '/api/oauth/access_token' },
    );
    assert.equal(replay.status, 400);
    assert.equal(replay.body.status, 'error');
  });

  it('Teamwork codes live for the configured 15 minutes', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const consent = await openConsent(customer.client, partner.distributionUrl);
    const before = Date.now();
    await answerConsent(customer.client, consent, 'authorize');
    const row = await porter.db
      .selectFrom('authorization_codes')
      .select('expires_at')
      .where('app_id', '=', partner.app.id)
      .executeTakeFirstOrThrow();
    const ttl = (Date.parse(row.expires_at) - before) / 1000;
    assert.ok(ttl > 890 && ttl <= 901, `code lifetime ${ttl} s`);
  });
});
