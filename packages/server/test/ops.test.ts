import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { makeDeveloper } from './helpers/api.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect('operations', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('answers /healthz and /readyz with JSON', async () => {
    const health = await fetch(`${porter.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${porter.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ok', database: 'ok' });
  });

  it('answers unknown API paths with problem JSON (after authentication) and unknown pages with an HTML page', async () => {
    const anonymous = await fetch(`${porter.url}/v1/nothing-here`);
    assert.equal(anonymous.status, 401, 'authentication comes first, so paths are not probed');
    assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="porter"');
    const dev = await makeDeveloper(porter);
    for (const path of ['/v1/nothing-here', '/developer/v1/nothing-here']) {
      const { apiKey } = await porter.services.apps.create(dev.actor, dev.company.id, {
        name: 'Probe',
        scopes: ['events:write'],
      });
      const token = path.startsWith('/v1') ? apiKey : dev.token;
      const api = await fetch(`${porter.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(api.status, 404, path);
      assert.match(api.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal((await api.json()).code, 'not_found');
    }
    const page = await fetch(`${porter.url}/nothing-here`);
    assert.equal(page.status, 404);
    assert.match(await page.text(), /Page not found/);
  });

  it('serves pages with a strict CSP and the usual security headers', async () => {
    const res = await fetch(`${porter.url}/sign-in`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.doesNotMatch(await res.text(), /<script(?![^>]*\bsrc=)/, 'no inline scripts');
    const css = await fetch(`${porter.url}/assets/porter.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
  });

  it('logs requests as JSON without passwords, cookies, authorization headers or secret query values', async () => {
    const { email, password } = await makeUser(porter);
    const client = new PageClient(porter.url);
    await client.signIn(email, password);
    await client.request('/?code=super-secret-code&client_secret=hunter2hunter2', {
      headers: { authorization: 'Bearer porter_secret_value' },
    });
    await new Promise((r) => setTimeout(r, 50));
    const log = porter.logs.join('');
    const lines = porter.logs.flatMap((chunk) => chunk.split('\n')).filter(Boolean);
    assert.ok(lines.length > 0);
    for (const line of lines) JSON.parse(line);
    assert.match(log, /"url":"\/\?code=\[redacted\]&client_secret=\[redacted\]"/);
    for (const secret of [
      password,
      'super-secret-code',
      'hunter2hunter2',
      'porter_secret_value',
      client.cookies.get('porter_session') ?? '-',
    ]) {
      assert.equal(log.includes(secret), false, `log leaks ${secret}`);
    }
  });

  it('escapes what users typed when it is shown on a page', async () => {
    const { user, email, password } = await makeUser(porter);
    await porter.services.accounts.createOwnedCompany(user.id, { name: '<script>alert(1)</script>' });
    const client = new PageClient(porter.url);
    await client.signIn(email, password);
    const html = await (await client.get('/')).text();
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});

forEachDialect('security headers on bearer APIs', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('sends the short API set on JSON endpoints: no sniffing, no framing, nothing loads', async () => {
    for (const path of ['/v1/me', '/developer/v1/apps']) {
      const res = await fetch(`${porter.url}${path}`);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(
        res.headers.get('content-security-policy'),
        "default-src 'none'; frame-ancestors 'none'",
        path,
      );
    }
  });
});
