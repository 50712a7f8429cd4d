import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import {
  answerConsent,
  authorizeCode,
  exchangeBody,
  makeCustomer,
  makeDistributedApp,
  openConsent,
  pkce,
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

    const token = await postToken(porter, exchangeBody(partner, code));
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
    const exchange = exchangeBody(partner, code);
    const first = await postToken(porter, exchange);
    assert.equal(first.status, 200);
    const replay = await postToken(porter, exchange);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await callApi(porter, 'GET', '/v1/me', first.body.access_token)).status, 401);
  });
});

forEachDialect('install flow: refusals and edge cases', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect, { PORTER_SIGNIN_MAX_FAILURES_PER_IP: '8' });
  });
  after(() => porter.close());

  const exchangeOf = exchangeBody;

  it('redirects a decline with error=access_denied, state and iss', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const consent = await openConsent(customer.client, `${partner.distributionUrl}&state=s%20t`);
    const { location } = await answerConsent(customer.client, consent, 'decline');
    const back = new URL(location);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 's t');
    assert.equal(back.searchParams.get('iss'), porter.url);
    assert.equal(back.searchParams.get('code'), null);
    const again = await answerConsent(customer.client, consent, 'authorize');
    assert.match(again.location, /^\/oauth\/consent\?request=/, 'a request is answered once');
    assert.equal((await customer.client.get(again.location)).status, 400);
  });

  it('shows an unknown client or an unregistered redirect_uri on an error page, never redirecting', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const cases = [
      `/integrations/oauth-install?client_id=nope&redirect_uri=${encodeURIComponent(partner.redirectUri)}`,
      `/integrations/oauth-install?client_id=${partner.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`,
      `/integrations/oauth-install?client_id=${partner.clientId}&redirect_uri=${encodeURIComponent(`${partner.redirectUri}&x=1`)}`,
      `/integrations/oauth-install?client_id=${partner.clientId}&redirect_uri=${encodeURIComponent('https://partner.example/oauth/callback')}`,
      `/oauth/authorize?client_id=${partner.clientId}&client_id=${partner.clientId}&response_type=code`,
    ];
    for (const path of cases) {
      const res = await customer.client.get(path);
      assert.equal(res.status, 400, path);
      assert.equal(res.headers.get('location'), null, path);
      assert.match(await res.text(), /This install link does not work/, path);
    }
  });

  it('redirects later errors with error=, state and iss: bad scope, repeated parameter, plain PKCE, response type', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const base = `/oauth/authorize?client_id=${partner.clientId}&redirect_uri=${encodeURIComponent(partner.redirectUri)}&state=xyz`;
    const cases: [string, string][] = [
      [`${base}&response_type=code&scope=events:write%20privacy_requests:write`, 'invalid_scope'],
      [`${base}&response_type=code&state=again`, 'invalid_request'],
      [
        `${base}&response_type=code&code_challenge=${'a'.repeat(43)}&code_challenge_method=plain`,
        'invalid_request',
      ],
      [`${base}&response_type=code&code_challenge=${'a'.repeat(43)}`, 'invalid_request'],
      [`${base}&response_type=token`, 'unsupported_response_type'],
      [base, 'unsupported_response_type'],
    ];
    for (const [path, error] of cases) {
      const res = await customer.client.get(path);
      assert.equal(res.status, 303, path);
      const back = new URL(res.headers.get('location') ?? '');
      assert.equal(back.searchParams.get('error'), error, path);
      assert.ok(back.searchParams.get('error_description'), path);
      assert.equal(back.searchParams.get('iss'), porter.url);
      if (!path.includes('state=again')) assert.equal(back.searchParams.get('state'), 'xyz');
    }
  });

  it('sends a signed-out customer to sign in and back to the same request', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const fresh = new PageClient(porter.url);
    const start = new URL(partner.distributionUrl);
    const res = await fresh.get(`${start.pathname}${start.search}`);
    assert.equal(res.status, 303);
    const signIn = new URL(res.headers.get('location') ?? '', porter.url);
    assert.equal(signIn.pathname, '/sign-in');
    assert.equal(signIn.searchParams.get('return_to'), `${start.pathname}${start.search}`);
    const signedIn = await fresh.signIn(
      customer.email,
      customer.password,
      `${start.pathname}${start.search}`,
    );
    assert.equal(signedIn.headers.get('location'), `${start.pathname}${start.search}`);
    assert.match((await fresh.follow(signedIn)).html, /Partner Sync wants to access your company/);
  });

  it('refuses to install into the developer company itself, with an explanation, and works in its test company', async () => {
    const partner = await makeDistributedApp(porter);
    const dev = new PageClient(porter.url);
    await dev.signIn(partner.dev.email, partner.dev.password);
    const consent = await openConsent(dev, partner.distributionUrl);
    assert.match(consent.html, /made by this company, so it cannot be installed here/);
    assert.doesNotMatch(consent.html, /value="authorize"/, 'no Authorize without a company to install into');
    const forced = await answerConsent(dev, consent, 'authorize', partner.dev.company.id);
    assert.match(forced.location, /^\/oauth\/consent\?request=/);
    assert.match(
      (await dev.follow(forced.res)).html,
      /role="alert" id="consent-error">[^<]*cannot be installed here/,
    );
    const sandbox = await porter.services.accounts.createOwnedCompany(partner.dev.user.id, {
      name: 'Partner Test',
      isTest: true,
    });
    const { code } = await authorizeCode(dev, partner.distributionUrl, sandbox.id);
    const token = await postToken(porter, exchangeOf(partner, code));
    assert.equal(token.status, 200);
    assert.equal(token.body.installation.company.id, sandbox.id);
  });

  it('tells a plain member to ask an admin, and refuses their authorization', async () => {
    const partner = await makeDistributedApp(porter);
    const owner = await makeCustomer(porter);
    const member = await makeCustomer(porter, { company: 'Own Shop' });
    await porter.services.accounts.addMember({
      companyId: owner.company.id,
      email: member.email,
      role: 'member',
    });
    const consent = await openConsent(member.client, partner.distributionUrl);
    assert.match(consent.html, /Only owners and admins of this company install apps/);
    const refused = await answerConsent(member.client, consent, 'authorize', owner.company.id);
    assert.match(refused.location, /^\/oauth\/consent\?request=/);
  });

  it('refuses an expired code, a wrong redirect_uri, another client and a wrong secret', async () => {
    const partner = await makeDistributedApp(porter);
    const other = await makeDistributedApp(porter, { name: 'Other App' });
    const customer = await makeCustomer(porter);
    const expired = (await authorizeCode(customer.client, partner.distributionUrl)).code;
    await porter.db
      .updateTable('authorization_codes')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .execute();
    const late = await postToken(porter, exchangeOf(partner, expired));
    assert.equal(late.status, 400);
    assert.equal(late.body.error, 'invalid_grant');
    assert.match(late.body.error_description, /expired/);

    const code = (await authorizeCode(customer.client, partner.distributionUrl)).code;
    const wrongRedirect = await postToken(porter, {
      ...exchangeOf(partner, code),
      redirect_uri: 'https://partner.example/oauth/callback',
    });
    assert.equal(wrongRedirect.body.error, 'invalid_grant');
    assert.match(wrongRedirect.body.error_description, /redirect_uri/);

    const code2 = (await authorizeCode(customer.client, partner.distributionUrl)).code;
    const stolen = await postToken(porter, {
      ...exchangeOf(other, code2),
      redirect_uri: partner.redirectUri,
    });
    assert.equal(stolen.body.error, 'invalid_grant');
    const owner = await postToken(porter, exchangeOf(partner, code2));
    assert.equal(owner.status, 200, 'another client cannot even spend the code');

    const code3 = (await authorizeCode(customer.client, partner.distributionUrl)).code;
    const basic = Buffer.from(`${partner.clientId}:porter_cs_wrong`).toString('base64');
    const { client_id: _i, client_secret: _s, ...rest } = exchangeOf(partner, code3);
    const wrong = await postToken(porter, rest, { headers: { authorization: `Basic ${basic}` } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    assert.equal(wrong.headers.get('www-authenticate'), 'Basic realm="porter"');
    const right = Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString('base64');
    const ok = await postToken(porter, rest, { json: true, headers: { authorization: `Basic ${right}` } });
    assert.equal(ok.status, 200, 'Basic authentication and a JSON body; the code survived the wrong secret');
    const inQuery = await postToken(porter, exchangeOf(partner, code3), {
      path: `/oauth/token?client_secret=${partner.clientSecret}`,
    });
    assert.equal(inQuery.body.error, 'invalid_request');
  });

  it('checks PKCE: the right verifier works, a wrong one burns the code', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const { verifier, challenge } = pkce();
    const url = `${partner.distributionUrl}&code_challenge=${challenge}&code_challenge_method=S256`;
    const first = (await authorizeCode(customer.client, url)).code;
    const missing = await postToken(porter, exchangeOf(partner, first));
    assert.equal(missing.body.error, 'invalid_grant');
    assert.match(missing.body.error_description, /code_verifier is required/);
    const second = (await authorizeCode(customer.client, url)).code;
    const wrong = await postToken(porter, { ...exchangeOf(partner, second), code_verifier: pkce().verifier });
    assert.equal(wrong.body.error, 'invalid_grant');
    const retry = await postToken(porter, { ...exchangeOf(partner, second), code_verifier: verifier });
    assert.equal(retry.body.error, 'invalid_grant', 'a code is spent by a wrong verifier');
    const third = (await authorizeCode(customer.client, url)).code;
    const right = await postToken(porter, { ...exchangeOf(partner, third), code_verifier: verifier });
    assert.equal(right.status, 200);
  });

  it('checks the Origin of apps with allowed origins and answers CORS for them', async () => {
    const partner = await makeDistributedApp(porter, { allowedOrigins: ['https://app.partner.example'] });
    const customer = await makeCustomer(porter);
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await authorizeCode(customer.client, partner.distributionUrl)).code);
    const without = await postToken(porter, exchangeOf(partner, codes[0] ?? ''));
    assert.equal(without.status, 403);
    assert.equal(without.body.error, 'unauthorized_client');
    const foreign = await postToken(porter, exchangeOf(partner, codes[1] ?? ''), {
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const allowed = await postToken(porter, exchangeOf(partner, codes[2] ?? ''), {
      headers: { origin: 'https://app.partner.example' },
    });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.partner.example');
    const preflight = await fetch(`${porter.url}/oauth/token`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.partner.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://app.partner.example');
  });

  it('gives exactly one of twenty concurrent exchanges of one code a token, and revokes it as replayed', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const { code } = await authorizeCode(customer.client, partner.distributionUrl);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postToken(porter, exchangeOf(partner, code))),
    );
    const winners = answers.filter((a) => a.status === 200);
    assert.equal(winners.length, 1, answers.map((a) => a.status).join(','));
    for (const a of answers.filter((x) => x.status !== 200)) assert.equal(a.body.error, 'invalid_grant');
    const live = await porter.db
      .selectFrom('tokens')
      .select('id')
      .where('kind', '=', 'access_token')
      .where('app_id', '=', partner.app.id)
      .where('revoked_at', 'is', null)
      .execute();
    assert.equal(live.length, 0, 'the token of a code presented twice is revoked (RFC 6749 §4.1.2)');
    assert.equal((await callApi(porter, 'GET', '/v1/me', winners[0]?.body.access_token)).status, 401);
  });

  it('re-authorization updates the scopes and revokes the previous token; uninstall revokes at once', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const first = await postToken(
      porter,
      exchangeOf(partner, (await authorizeCode(customer.client, partner.distributionUrl)).code),
    );
    const narrow = `${partner.distributionUrl.replace(/&scope=[^&]*/, '')}&scope=events:write`;
    const consent = await openConsent(customer.client, narrow);
    assert.match(consent.html, /already installed/);
    const { location } = await answerConsent(customer.client, consent, 'authorize');
    const second = await postToken(
      porter,
      exchangeOf(partner, new URL(location).searchParams.get('code') ?? ''),
    );
    assert.equal(second.status, 200);
    assert.equal(
      second.body.installation.id,
      first.body.installation.id,
      'one installation per app and company',
    );
    assert.deepEqual(second.body.installation.scopes, ['events:write']);
    assert.equal((await callApi(porter, 'GET', '/v1/me', first.body.access_token)).status, 401);
    assert.equal((await callApi(porter, 'GET', '/v1/me', second.body.access_token)).status, 200);

    const page = await customer.client.page('/installed-apps');
    assert.match(page.html, /Partner Sync/);
    assert.match(page.html, /Send custom events about your customers/);
    const gone = await customer.client.submit(`/installed-apps/${second.body.installation.id}/uninstall`, {
      _csrf: page.csrf,
    });
    assert.match(gone.html, /Partner Sync was uninstalled/);
    assert.equal((await callApi(porter, 'GET', '/v1/me', second.body.access_token)).status, 401);
    const stranger = await makeCustomer(porter);
    const foreign = await stranger.client.post(`/installed-apps/${second.body.installation.id}/uninstall`, {
      _csrf: (await stranger.client.page('/installed-apps')).csrf,
    });
    assert.equal(foreign.status, 404);
    const events = await porter.db
      .selectFrom('audit_events')
      .select('action')
      .where('company_id', '=', customer.company.id)
      .execute();
    assert.deepEqual(events.map((e) => e.action).sort(), [
      'app.installed',
      'app.reauthorized',
      'app.uninstalled',
    ]);
  });

  it('keeps one installation and one live token when two first installs are exchanged at once', async () => {
    const partner = await makeDistributedApp(porter);
    const customer = await makeCustomer(porter);
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await authorizeCode(customer.client, partner.distributionUrl)).code);
    const answers = await Promise.all(codes.map((code) => postToken(porter, exchangeOf(partner, code))));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200],
    );
    assert.equal(new Set(answers.map((a) => a.body.installation.id)).size, 1, 'one installation');
    const live = [];
    for (const a of answers)
      if ((await callApi(porter, 'GET', '/v1/me', a.body.access_token)).status === 200) live.push(a);
    assert.equal(live.length, 1, 'one live token per installation');
  });

  it('hands a custom-scheme redirect over on a page that says the window can be closed', async () => {
    const partner = await makeDistributedApp(porter, { redirectUrls: ['myapp://oauth/cb'] });
    const customer = await makeCustomer(porter);
    const { location, res } = await authorizeCode(customer.client, `${partner.distributionUrl}&state=abc`);
    assert.equal(location, '/oauth/authorized');
    const { html } = await customer.client.follow(res);
    assert.match(html, /Partner Sync has been authorized/);
    assert.match(html, /safe to close this window/);
    const target = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(html)?.[1] ?? '';
    const url = new URL(target.replaceAll('&amp;', '&'));
    assert.equal(url.protocol, 'myapp:');
    assert.equal(url.searchParams.get('state'), 'abc');
    const token = await postToken(porter, {
      ...exchangeOf(partner, url.searchParams.get('code') ?? ''),
      redirect_uri: 'myapp://oauth/cb',
    });
    assert.equal(token.status, 200);
  });

  it('throttles repeated failed client authentication from one address', async () => {
    const partner = await makeDistributedApp(porter);
    let last = { status: 0, headers: new Headers() };
    for (let i = 0; i < 10; i++) {
      last = await postToken(porter, {
        grant_type: 'authorization_code',
        code: 'x',
        redirect_uri: partner.redirectUri,
        client_id: partner.clientId,
        client_secret: 'wrong',
      });
    }
    assert.equal(last.status, 429);
    assert.ok(Number(last.headers.get('retry-after')) > 0);
  });
});
