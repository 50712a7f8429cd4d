import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../server/test/helpers/dialects.js';
import {
  answerConsent,
  authorizeCode,
  makeCustomer,
  makeDistributedApp,
  openConsent,
} from '../../server/test/helpers/oauth.js';
import { startPorter, type TestPorter } from '../../server/test/helpers/porter.js';
import {
  discover,
  exchangeCode,
  handleCallback,
  IssuerMismatchError,
  installUrl,
  OAuthError,
  PorterClient,
  StateMismatchError,
} from '../src/index.js';

const isOAuth = (code: string, status?: number) => (err: unknown) =>
  err instanceof OAuthError && err.code === code && (status === undefined || err.status === status);

forEachDialect('SDK install flow against a real Porter', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  async function start(scopes = ['events:write', 'subscriptions:write']) {
    const partner = await makeDistributedApp(porter, { scopes });
    const customer = await makeCustomer(porter);
    const opts = { porterUrl: porter.url, clientId: partner.clientId, redirectUri: partner.redirectUri };
    return { partner, customer, opts, started: installUrl({ ...opts, scopes }) };
  }

  it('installs with state and PKCE: callback, exchange, then /v1/me of the installing company', async () => {
    const { partner, customer, opts, started } = await start();
    const { issuer } = await discover(porter.url);
    assert.equal(issuer, porter.url);
    const { location } = await authorizeCode(customer.client, started.url);
    const { code } = handleCallback(location, { expectedState: started.state, expectedIssuer: issuer });
    const tokens = await exchangeCode({
      ...opts,
      clientSecret: partner.clientSecret,
      code,
      codeVerifier: started.codeVerifier,
    });
    assert.equal(tokens.tokenType, 'Bearer');
    assert.deepEqual(tokens.scopes, ['events:write', 'subscriptions:write']);
    assert.equal(tokens.installation.company.id, customer.company.id);
    assert.equal(tokens.installation.app.id, partner.app.id);
    const me = await new PorterClient(tokens.installation.api_base_url, tokens.accessToken).me();
    assert.equal(me.credential, 'access_token');
    assert.deepEqual(me.company, { id: customer.company.id, name: customer.company.name });
    assert.equal(me.installation?.id, tokens.installation.id);
  });

  it('reports a decline as access_denied, and refuses a foreign state or issuer', async () => {
    const { customer, started } = await start();
    const consent = await openConsent(customer.client, started.url);
    const { location } = await answerConsent(customer.client, consent, 'decline');
    const checks = { expectedState: started.state, expectedIssuer: porter.url };
    assert.throws(() => handleCallback(location, checks), isOAuth('access_denied'));
    assert.throws(
      () => handleCallback(location, { ...checks, expectedState: 'another' }),
      StateMismatchError,
    );
    assert.throws(
      () => handleCallback(location, { ...checks, expectedIssuer: 'https://other.example' }),
      IssuerMismatchError,
    );
  });

  it('gives a typed OAuthError per refusal of the exchange', async () => {
    const { partner, customer, opts, started } = await start();
    const { code } = await authorizeCode(customer.client, started.url);
    const base = { ...opts, clientSecret: partner.clientSecret, code, codeVerifier: started.codeVerifier };
    await assert.rejects(
      exchangeCode({ ...base, clientSecret: 'porter_cs_wrong' }),
      isOAuth('invalid_client', 401),
    );
    await assert.rejects(
      exchangeCode({ ...base, redirectUri: 'https://elsewhere.example/cb' }),
      isOAuth('invalid_grant', 400),
    );
    // The refused exchange spent the code: even the right request is now a replay.
    await assert.rejects(exchangeCode(base), isOAuth('invalid_grant', 400));
    const again = await authorizeCode(customer.client, started.url);
    await assert.rejects(
      exchangeCode({ ...base, code: again.code, codeVerifier: undefined }),
      isOAuth('invalid_grant'),
    );
  });

  it('reaches GraphQL with the installed token, and a missing scope comes back as a field error', async () => {
    const { partner, customer, opts, started } = await start(['subscriptions:write']);
    const { code } = await authorizeCode(customer.client, started.url);
    const tokens = await exchangeCode({
      ...opts,
      clientSecret: partner.clientSecret,
      code,
      codeVerifier: started.codeVerifier,
    });
    const client = new PorterClient(porter.url, tokens.accessToken);
    const viewer = await client.graphql<{
      viewer: { installedApplication: { installerCompany: { id: string } } };
    }>('query { viewer { installedApplication { installerCompany { id name } } } }');
    assert.equal(viewer.data?.viewer.installedApplication.installerCompany.id, customer.company.id);
    assert.equal(viewer.errors, undefined);
    const denied = await client.graphql('query($n: Int) { customEvents(first: $n) { nodes { id } } }', {
      n: 1,
    });
    assert.equal(denied.errors?.[0]?.extensions?.code, 'insufficient_scope');
  });

  it('asks for every scope of the app when given none', async () => {
    const { partner, customer, opts } = await start();
    const started = installUrl({ ...opts, scopes: [] });
    assert.doesNotMatch(started.url, /[?&]scope=/);
    const { location } = await authorizeCode(customer.client, started.url);
    const { code } = handleCallback(location, { expectedState: started.state, expectedIssuer: porter.url });
    const tokens = await exchangeCode({
      ...opts,
      clientSecret: partner.clientSecret,
      code,
      codeVerifier: started.codeVerifier,
    });
    assert.deepEqual(tokens.scopes, ['events:write', 'subscriptions:write']);
  });
});
