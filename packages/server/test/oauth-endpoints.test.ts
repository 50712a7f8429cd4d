import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import { authorizeCode, exchangeBody, makeCustomer, makeDistributedApp, postToken } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect('metadata, revocation and introspection', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  async function installed() {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const { code } = await authorizeCode(customer.client, partner.distributionUrl);
    const token = await postToken(porter, exchangeBody(partner, code));
    return {
      partner,
      customer,
      accessToken: token.body.access_token as string,
      installation: token.body.installation,
    };
  }

  it('publishes RFC 8414 metadata with the public URL as issuer', async () => {
    const res = await fetch(`${porter.url}/.well-known/oauth-authorization-server`);
    const meta = await res.json();
    assert.equal(meta.issuer, porter.url);
    assert.equal(meta.token_endpoint, `${porter.url}/oauth/token`);
    assert.equal(meta.authorization_endpoint, `${porter.url}/oauth/authorize`);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.equal(meta.authorization_response_iss_parameter_supported, true);
    assert.ok(meta.scopes_supported.includes('events:write'));
  });

  it('introspects for a resource server: active with the installation, else exactly {"active": false}', async () => {
    const { accessToken, installation, partner } = await installed();
    const { out } = await porterCli(['resource-server', 'create', '--name', 'Orders API', '--json'], {
      DATABASE_URL: porter.database.url,
    });
    const rs = JSON.parse(out).secret as string;
    assert.match(rs, /^porter_rs_/);
    const ask = (token: string, credential = rs) =>
      fetch(`${porter.url}/oauth/introspect`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${credential}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token }).toString(),
      });
    const active = await (await ask(accessToken)).json();
    assert.equal(active.active, true);
    assert.equal(active.client_id, partner.clientId);
    assert.equal(active.scope, 'events:write subscriptions:write');
    assert.deepEqual(active.installation, installation);
    for (const token of ['porter_at_nope', `porter_at_${'A'.repeat(49)}`, 'garbage']) {
      assert.deepEqual(await (await ask(token)).json(), { active: false });
    }
    const refused = await ask(accessToken, 'porter_rs_wrong');
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer realm="porter"/);
    const byApp = await ask(accessToken, accessToken);
    assert.equal(byApp.status, 401, 'an access token is not a resource-server credential');
  });

  it('revokes a token the app holds (RFC 7009), ignores one it does not, and the token stops at once', async () => {
    const { accessToken, partner } = await installed();
    const other = await installed();
    const revoke = (token: string, creds = partner) =>
      postToken(
        porter,
        { token, client_id: creds.clientId, client_secret: creds.clientSecret },
        { path: '/oauth/revoke' },
      );
    const foreign = await revoke(other.accessToken);
    assert.equal(foreign.status, 200);
    assert.equal(
      (await callApi(porter, 'GET', '/v1/me', other.accessToken)).status,
      200,
      'another app’s token is untouched',
    );
    assert.equal((await revoke(accessToken)).status, 200);
    assert.equal((await callApi(porter, 'GET', '/v1/me', accessToken)).status, 401);
    assert.equal((await revoke(accessToken)).status, 200, 'revoking twice is fine');
    const unauthenticated = await postToken(porter, { token: other.accessToken }, { path: '/oauth/revoke' });
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.body.error, 'invalid_client');
  });

  it('answers unknown grant types and bodies that are not strings with RFC 6749 errors', async () => {
    const { partner } = await installed();
    const creds = { client_id: partner.clientId, client_secret: partner.clientSecret };
    const grant = await postToken(porter, { ...creds, grant_type: 'client_credentials' });
    assert.equal(grant.body.error, 'unsupported_grant_type');
    const res = await fetch(`${porter.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...creds, code: { nested: true } }),
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'invalid_request');
    const broken = await fetch(`${porter.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(broken.status, 400);
    assert.equal((await broken.json()).error, 'invalid_request');
    const missing = await fetch(`${porter.url}/oauth/nothing`);
    assert.equal(missing.status, 404);
  });
});
