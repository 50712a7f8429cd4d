import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { AuthorizationCode } from 'simple-oauth2';
import { callApi } from './helpers/api.js';
import { forEachDialect } from './helpers/dialects.js';
import { answerConsent, makeCustomer, makeDistributedApp, openConsent } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

// Popular OAuth client libraries, used unmodified as an app developer would, install an app.
forEachDialect('OAuth client libraries against Porter', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('oauth4webapi: discovery (RFC 8414), PKCE, state and iss checks, code exchange', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const insecure = { [oauth.allowInsecureRequests]: true }; // the test server speaks http
    const issuer = new URL(porter.url);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    const client: oauth.Client = { client_id: partner.clientId };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint ?? '');
    url.searchParams.set('client_id', partner.clientId);
    url.searchParams.set('redirect_uri', partner.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', 'events:write');
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
    url.searchParams.set('code_challenge_method', 'S256');

    const consent = await openConsent(customer.client, url.href);
    const { location } = await answerConsent(customer.client, consent, 'authorize');
    const params = oauth.validateAuthResponse(as, client, new URL(location), state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(partner.clientSecret),
      params,
      partner.redirectUri,
      verifier,
      insecure,
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    assert.equal(result.token_type, 'bearer');
    assert.equal(result.scope, 'events:write');
    const me = await callApi(porter, 'GET', '/v1/me', result.access_token);
    assert.equal(me.body.company.id, customer.company.id);

    // A response from another issuer is refused by the library (RFC 9207).
    const forged = new URL(location);
    forged.searchParams.set('iss', 'https://evil.example');
    assert.throws(() => oauth.validateAuthResponse(as, client, forged, state));
  });

  it('simple-oauth2: authorize URL, code exchange with HTTP Basic, and with credentials in the body', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    for (const authorizationMethod of ['header', 'body'] as const) {
      const lib = new AuthorizationCode({
        client: { id: partner.clientId, secret: partner.clientSecret },
        auth: { tokenHost: porter.url, tokenPath: '/oauth/token', authorizePath: '/oauth/authorize' },
        options: { authorizationMethod },
      });
      const url = lib.authorizeURL({
        redirect_uri: partner.redirectUri,
        scope: 'events:write',
        state: 'st8',
      });
      const consent = await openConsent(customer.client, url);
      const { location } = await answerConsent(customer.client, consent, 'authorize');
      const back = new URL(location);
      assert.equal(back.searchParams.get('state'), 'st8');
      const token = await lib.getToken({
        code: back.searchParams.get('code') ?? '',
        redirect_uri: partner.redirectUri,
      });
      const accessToken = String(token.token.access_token);
      assert.match(accessToken, /^porter_at_/);
      assert.equal((await callApi(porter, 'GET', '/v1/me', accessToken)).status, 200, authorizationMethod);
    }
  });
});
