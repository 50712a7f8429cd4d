import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect('sign-in and sessions', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect, {
      PORTER_SIGNIN_MAX_FAILURES: '3',
      PORTER_SIGNIN_MAX_FAILURES_PER_IP: '1000',
    });
  });
  after(() => porter.close());

  it('sends a signed-out visitor to sign-in and back to the page asked for', async () => {
    const { email, password } = await makeUser(porter);
    const client = new PageClient(porter.url);
    const home = await client.get('/?tab=1');
    assert.equal(home.status, 303);
    assert.equal(home.headers.get('location'), '/sign-in?return_to=%2F%3Ftab%3D1');
    const res = await client.signIn(email, password, '/?tab=1');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/?tab=1');
  });

  it('renders a sign-in form with visible labels and a CSRF token', async () => {
    const { res, html, csrf } = await new PageClient(porter.url).page('/sign-in');
    assert.equal(res.status, 200);
    assert.match(html, /<label for="email">Email<\/label>/);
    assert.match(html, /<label for="password">Password<\/label>/);
    assert.ok(csrf.length > 10);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie and a new session id at every sign-in', async () => {
    const { email, password } = await makeUser(porter);
    const client = new PageClient(porter.url);
    client.cookies.set('porter_session', 'planted-by-an-attacker');
    const first = await client.signIn(email, password);
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith('porter_session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/, 'not Secure on an http public URL');
    const firstId = client.cookies.get('porter_session');
    assert.notEqual(firstId, 'planted-by-an-attacker');
    const { csrf } = await client.page('/');
    await client.post('/sign-in', { _csrf: csrf, email, password });
    assert.notEqual(client.cookies.get('porter_session'), firstId);
    const old = new PageClient(porter.url);
    old.cookies.set('porter_session', firstId ?? '');
    assert.equal((await old.get('/')).status, 303, 'the replaced session is gone');
  });

  it('signs in with the email in any letter case', async () => {
    const { email, password } = await makeUser(porter);
    const res = await new PageClient(porter.url).signIn(email.toUpperCase(), password);
    assert.equal(res.status, 303);
  });

  it('refuses a wrong password with a clear message and no session', async () => {
    const { email } = await makeUser(porter);
    const client = new PageClient(porter.url);
    const res = await client.signIn(email, 'wrong password!');
    assert.equal(res.status, 303, 'Post/Redirect/Get: back to the form');
    assert.match(res.headers.get('location') ?? '', /^\/sign-in\?return_to=/);
    const { html } = await client.follow(res);
    assert.match(html, /Email or password is incorrect/);
    assert.match(html, new RegExp(`value="${email}"`), 'the email is kept');
    assert.equal(client.cookies.has('porter_session'), false);
    const again = await client.get('/sign-in');
    assert.doesNotMatch(await again.text(), /incorrect/, 'the message is shown once');
  });

  it('says which field is empty instead of failing', async () => {
    const client = new PageClient(porter.url);
    const { html } = await client.follow(await client.signIn('', ''));
    assert.match(html, /Email is required/);
    assert.match(html, /Password is required/);
  });

  it('throttles an account after too many failures, even for the right password', async () => {
    const { email, password } = await makeUser(porter);
    const client = new PageClient(porter.url);
    for (let i = 0; i < 3; i++)
      assert.equal((await client.signInOutcome(email, 'nope nope nope')).outcome, 'refused');
    const { outcome, message } = await client.signInOutcome(email, password);
    assert.equal(outcome, 'throttled');
    assert.match(message, /Too many failed sign-in attempts\. Try again in \d+ minute/);
  });

  it('only returns to same-origin paths after sign-in', async () => {
    const { email, password } = await makeUser(porter);
    for (const evil of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const res = await new PageClient(porter.url).signIn(email, password, evil);
      assert.equal(res.headers.get('location'), '/', evil);
    }
  });

  it('refuses a form without its CSRF token with 403', async () => {
    const { email, password } = await makeUser(porter);
    const client = new PageClient(porter.url);
    await client.page('/sign-in');
    const res = await client.post('/sign-in', { email, password });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /form has expired/);
    const forged = await client.post('/sign-in', { email, password, _csrf: 'forged-token' });
    assert.equal(forged.status, 403);
  });

  it('answers wrong content types and oversized bodies with 4xx pages, never 500', async () => {
    const client = new PageClient(porter.url);
    const wrongType = await client.request('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<x/>',
    });
    assert.equal(wrongType.status, 415);
    const big = await client.request('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${'a'.repeat(70_000)}`,
    });
    assert.equal(big.status, 413);
    const json = await client.request('/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    assert.equal(json.status, 400);
  });

  it('signs out: the old session cookie stops working', async () => {
    const { email, password } = await makeUser(porter);
    const client = new PageClient(porter.url);
    await client.signIn(email, password);
    const sessionCookie = client.cookies.get('porter_session') ?? '';
    const { csrf } = await client.page('/');
    const out = await client.post('/sign-out', { _csrf: csrf });
    assert.equal(out.status, 303);
    const stolen = new PageClient(porter.url);
    stolen.cookies.set('porter_session', sessionCookie);
    assert.equal((await stolen.get('/')).status, 303);
  });
});

describe('session cookie on an https public URL', () => {
  it('is marked Secure', async () => {
    const [dialect] = (await import('./helpers/dialects.js')).dialects;
    assert.ok(dialect);
    const porter = await startPorter(dialect, { PORTER_PUBLIC_URL: 'https://porter.example' });
    try {
      const { email, password } = await makeUser(porter);
      const res = await new PageClient(
        porter.url.replace('https://porter.example', `http://127.0.0.1:${porter.config.port}`),
      ).signIn(email, password);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('porter_session=')) ?? '';
      assert.match(cookie, /; Secure/);
    } finally {
      await porter.close();
    }
  });
});

forEachDialect('sign-in throttling per IP', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect, {
      PORTER_SIGNIN_MAX_FAILURES: '100',
      PORTER_SIGNIN_MAX_FAILURES_PER_IP: '3',
    });
  });
  after(() => porter.close());

  it('throttles an address that fails across many accounts, with a clear message', async () => {
    const client = new PageClient(porter.url);
    for (let i = 0; i < 3; i++) {
      const { outcome } = await client.signInOutcome(`nobody${i}@example.test`, 'guess guess guess');
      assert.equal(outcome, 'refused');
    }
    const { email, password } = await makeUser(porter);
    const { outcome, message } = await client.signInOutcome(email, password);
    assert.equal(outcome, 'throttled');
    assert.match(message, /Too many failed sign-in attempts/);
  });
});

forEachDialect('sign-in throttling behind a trusted proxy', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect, { PORTER_TRUST_PROXY: '1', PORTER_SIGNIN_MAX_FAILURES: '2' });
  });
  after(() => porter.close());

  const from = (client: PageClient, address: string) => {
    const request = client.request.bind(client);
    client.request = (path, init = {}) =>
      request(path, { ...init, headers: { ...init.headers, 'x-forwarded-for': address } });
    return client;
  };

  it("does not let a stranger's failures lock the owner out, until the account-wide limit", async () => {
    const { email, password } = await makeUser(porter);
    const attacker = from(new PageClient(porter.url), '198.51.100.7');
    for (let i = 0; i < 2; i++)
      assert.equal((await attacker.signInOutcome(email, 'wrong wrong wrong')).outcome, 'refused');
    const attempt = await attacker.signInOutcome(email, password);
    assert.equal(attempt.outcome, 'throttled', 'locked for the attacking address');
    const owner = from(new PageClient(porter.url), '203.0.113.9');
    const ok = await owner.signInOutcome(email, password);
    assert.equal(ok.outcome, 'signed-in', 'the owner elsewhere still signs in');
    // From many addresses, the account-wide limit (10 × 2) still stops guessing.
    for (let i = 0; i < 20; i++)
      await from(new PageClient(porter.url), `192.0.2.${i}`).signIn(email, 'wrong wrong wrong');
    const last = await from(new PageClient(porter.url), '192.0.2.200').signInOutcome(email, password);
    assert.equal(last.outcome, 'throttled');
  });

  it('believes only the last hop of X-Forwarded-For, so a client cannot pick its address', async () => {
    const { email, password } = await makeUser(porter);
    for (let i = 0; i < 3; i++) {
      await from(new PageClient(porter.url), `10.9.9.${i}, 198.51.100.50`).signIn(email, 'wrong wrong wrong');
    }
    const client = from(new PageClient(porter.url), '10.9.9.99, 198.51.100.50');
    const { outcome } = await client.signInOutcome(email, password);
    assert.equal(outcome, 'throttled', 'all three counted against 198.51.100.50');
  });
});
