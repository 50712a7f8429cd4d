import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { forEachDialect } from './helpers/dialects.js';
import {
  answerConsent,
  authorizeCode,
  makeCustomer,
  makeDistributedApp,
  openConsent,
  postToken,
} from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect('install flow (Attentive: distribution URL, consent, token, /v1/me)', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('installs an app through the distribution URL and the token acts on the customer company only', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const url = `${partner.distributionUrl}&state=${encodeURIComponent('eyJub25jZSI6IjEyMyJ9+/=')}`;
    const consent = await openConsent(customer.client, url);
    assert.equal(consent.res.status, 200);
    assert.match(consent.html, /Partner Sync wants to access your company/);
    assert.match(consent.html, /Made by Partner Apps/);
    assert.match(consent.html, /Send custom events about your customers/);
    assert.match(consent.html, new RegExp(`value="${customer.company.id}" checked`));
    const { location } = await answerConsent(customer.client, consent, 'authorize');
    const back = new URL(location);
    assert.equal(`${back.origin}${back.pathname}`, 'https://partner.example/oauth/callback');
    assert.equal(back.searchParams.get('src'), 'porter', 'the registered query is kept');
    assert.equal(back.searchParams.get('state'), 'eyJub25jZSI6IjEyMyJ9+/=', 'state comes back byte for byte');
    assert.equal(back.searchParams.get('iss'), porter.url);
    const code = back.searchParams.get('code') ?? '';
    assert.match(code, /^porter_ac_/);

    const token = await postToken(porter, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: partner.redirectUri,
      client_id: partner.clientId,
      client_secret: partner.clientSecret,
    });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(token.headers.get('cache-control'), 'no-store');
    assert.equal(token.body.token_type, 'Bearer');
    assert.equal(token.body.scope, 'events:write subscriptions:write');
    assert.equal(token.body.expires_in, undefined, 'the token does not expire');
    assert.match(token.body.access_token, /^porter_at_/);
    assert.equal(token.body.installation.company.id, customer.company.id);
    assert.equal(token.body.installation.region, 'US');
    assert.equal(token.body.installation.api_base_url, porter.url);
    assert.equal(token.body.installation.installed_by.email, customer.email);

    const me = await callApi(porter, 'GET', '/v1/me', token.body.access_token);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.company, { id: customer.company.id, name: customer.company.name });
    assert.equal(me.body.credential, 'access_token');
    assert.deepEqual(me.body.installation, token.body.installation);
  });

  it('refuses a replayed code and revokes the token it issued', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const { code } = await authorizeCode(customer.client, partner.distributionUrl);
    const exchange = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: partner.redirectUri,
      client_id: partner.clientId,
      client_secret: partner.clientSecret,
    };
    const first = await postToken(porter, exchange);
    assert.equal(first.status, 200);
    const replay = await postToken(porter, exchange);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await callApi(porter, 'GET', '/v1/me', first.body.access_token)).status, 401);
  });
});
