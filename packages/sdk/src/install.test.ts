import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildInstallUrl, createPkce, createState, installUrl } from './install.js';

it('derives the S256 challenge of RFC 7636 Appendix B', () => {
  const pkce = createPkce('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  assert.equal(pkce.challenge, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  assert.equal(pkce.method, 'S256');
  assert.throws(() => createPkce('too-short'), TypeError);
  assert.match(createPkce().verifier, /^[A-Za-z0-9_-]{43}$/);
});

it('makes unguessable states', () => {
  assert.notEqual(createState(), createState());
  assert.match(createState(), /^[A-Za-z0-9_-]{43}$/);
});

it('builds the distribution URL with state and PKCE, encoding the redirect URI', () => {
  const url = new URL(
    buildInstallUrl({
      porterUrl: 'https://porter.example.com',
      clientId: 'abc',
      redirectUri: 'https://app.example/cb?x=1&y=2',
      scopes: ['events:write', 'ecommerce:write'],
      state: 's/+=',
      codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    }),
  );
  assert.equal(url.origin + url.pathname, 'https://porter.example.com/integrations/oauth-install');
  assert.equal(url.searchParams.get('redirect_uri'), 'https://app.example/cb?x=1&y=2');
  assert.equal(url.searchParams.get('scope'), 'events:write ecommerce:write');
  assert.equal(url.searchParams.get('state'), 's/+=');
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.match(url.search, /scope=events%3Awrite%20ecommerce%3Awrite/);
});

it('starts an install with a fresh state and a verifier whose challenge the URL carries', () => {
  const started = installUrl({
    porterUrl: 'https://porter.example.com/',
    clientId: 'abc',
    redirectUri: 'https://app.example/cb',
    scopes: ['events:write'],
  });
  const url = new URL(started.url);
  assert.equal(url.searchParams.get('state'), started.state);
  assert.equal(url.searchParams.get('code_challenge'), createPkce(started.codeVerifier).challenge);
  assert.equal(url.searchParams.get('code_verifier'), null);
  assert.notEqual(
    installUrl({ ...started, porterUrl: 'https://p', clientId: 'a', redirectUri: 'https://a/cb', scopes: [] })
      .state,
    started.state,
  );
});
