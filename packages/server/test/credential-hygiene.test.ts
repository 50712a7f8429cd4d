import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { authorizeCode, exchangeBody, makeCustomer, makeDistributedApp, postToken } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect('credential hygiene', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  /** A distributed app, a customer to install it, and the developer's token for the developer API. */
  async function setup(name: string) {
    const partner = await makeDistributedApp(porter, { name });
    const customer = await makeCustomer(porter, { company: `${name} Customer` });
    const { token } = await porter.services.credentials.createPersonalToken(
      partner.actor,
      partner.dev.company.id,
      'deploy',
    );
    /** A fresh install's code exchanged with this client secret: the token endpoint's answer. */
    const exchange = async (clientSecret: string) => {
      const { code } = await authorizeCode(customer.client, partner.distributionUrl);
      return postToken(porter, exchangeBody({ ...partner, clientSecret }, code));
    };
    const regenerate = (body?: unknown) =>
      callApi(porter, 'POST', `/developer/v1/apps/${partner.app.id}/client-secret`, token, body);
    const getApp = async () =>
      (await callApi(porter, 'GET', `/developer/v1/apps/${partner.app.id}`, token)).body;
    return { partner, customer, token, exchange, regenerate, getApp };
  }

  const refused = (res: { status: number; body: { error?: string } }) => {
    assert.equal(res.status, 401, JSON.stringify(res.body));
    assert.equal(res.body.error, 'invalid_client');
  };

  it('keeps the old client secret working inside its window, then not; by default not at all', async () => {
    const { partner, token, exchange, regenerate, getApp } = await setup('Overlap Sync');
    const old = partner.clientSecret;

    const kept = await regenerate({ keep_old: '1h' });
    assert.equal(kept.status, 200, JSON.stringify(kept.body));
    const until = Date.parse(kept.body.previous_secret_expires_at);
    assert.ok(Math.abs(until - (Date.now() + 3_600_000)) < 60_000, kept.body.previous_secret_expires_at);
    assert.equal((await exchange(old)).status, 200, 'the old secret works inside the window');
    assert.equal((await exchange(kept.body.client_secret)).status, 200);
    assert.equal((await getApp()).previous_client_secret.expires_at, kept.body.previous_secret_expires_at);

    // Ending the window now cuts the old secret at once.
    const ended = await callApi(
      porter,
      'DELETE',
      `/developer/v1/apps/${partner.app.id}/client-secret/previous`,
      token,
    );
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal(ended.body.previous_client_secret, null);
    refused(await exchange(old));
    assert.equal((await exchange(kept.body.client_secret)).status, 200);

    // Window "none" (no body at all): the previous secret fails at once.
    const now = await regenerate();
    assert.equal(now.status, 200, JSON.stringify(now.body));
    assert.equal(now.body.previous_secret_expires_at, null);
    refused(await exchange(kept.body.client_secret));
    assert.equal((await exchange(now.body.client_secret)).status, 200);
    assert.equal((await getApp()).previous_client_secret, null);

    const events = await porter.services.apps.auditLog(partner.actor, partner.dev.company.id, partner.app.id);
    const regenerations = events.filter((e) => e.action === 'app.client_secret_regenerated');
    assert.deepEqual(
      regenerations.map((e) => JSON.parse(e.details).keep_old_minutes),
      [0, 60],
      'audited with the window, newest first',
    );
  });

  it('stops accepting the old secret when the window has passed', async () => {
    const { partner, exchange } = await setup('Expiry Sync');
    const { apps } = porter.services;
    const companyId = partner.dev.company.id;
    // Regenerated two minutes ago with a one-minute window: it ended a minute ago.
    const past = Date.now() - 120_000;
    const first = await apps.regenerateClientSecret(
      partner.actor,
      companyId,
      partner.app.id,
      { keep_old: 1 },
      past,
    );
    assert.equal(first.app.previous_client_secret?.expires_at, new Date(past + 60_000).toISOString());
    refused(await exchange(partner.clientSecret));
    // The install debugger says which secret it was, and when it stopped working.
    const { token } = await porter.services.credentials.createPersonalToken(partner.actor, companyId, 'dbg');
    const failures = await callApi(porter, 'GET', `/developer/v1/apps/${partner.app.id}/debugger`, token);
    assert.deepEqual(failures.body.failures[0].cause, {
      kind: 'previous_secret_expired',
      expiredAt: new Date(past + 60_000).toISOString(),
    });
    assert.match(
      failures.body.failures[0].message,
      /previous one, which stopped working at .*deploy the current secret/,
    );
    assert.equal((await exchange(first.clientSecret)).status, 200);
    // Three minutes from two minutes ago: still a minute to go.
    const second = await apps.regenerateClientSecret(
      partner.actor,
      companyId,
      partner.app.id,
      { keep_old: '3m' },
      past,
    );
    assert.equal((await exchange(first.clientSecret)).status, 200);
    assert.equal((await exchange(second.clientSecret)).status, 200);
    // A third regeneration with a window keeps only the secret just replaced: two at most.
    const third = await apps.regenerateClientSecret(partner.actor, companyId, partner.app.id, {
      keep_old: '24h',
    });
    refused(await exchange(first.clientSecret));
    assert.equal((await exchange(second.clientSecret)).status, 200);
    assert.equal((await exchange(third.clientSecret)).status, 200);
  });

  it('refuses a window it does not offer, and changes nothing', async () => {
    const { partner, exchange, regenerate } = await setup('Bad Window Sync');
    for (const keep_old of ['25h', 1441, -5, 'soon', 1.5]) {
      const res = await regenerate({ keep_old });
      assert.equal(res.status, 400, `${keep_old}: ${JSON.stringify(res.body)}`);
    }
    assert.equal((await exchange(partner.clientSecret)).status, 200, 'the secret was not regenerated');

    const dev = new PageClient(porter.url);
    await dev.signIn(partner.dev.email, partner.dev.password);
    const tab = `/developer/apps/${partner.app.id}/credentials`;
    const { csrf } = await dev.page(tab);
    const res = await dev.post(`${tab.replace('/credentials', '')}/client-secret`, {
      _csrf: csrf,
      confirm: 'yes',
      keep_old: '9999',
    });
    const back = await dev.follow(res);
    assert.equal(back.path, tab);
    assert.match(back.html, /<p class="field-error" id="keep_old-error">[^<]+1440/);
    assert.match(
      back.html,
      /<select id="keep_old" name="keep_old" aria-describedby="keep_old-hint keep_old-error" aria-invalid="true">/,
    );
    assert.equal((await exchange(partner.clientSecret)).status, 200);
  });

  it('shows the window in the portal, and when each credential was last used', async () => {
    const { partner, exchange, getApp } = await setup('Last Used Sync');
    const dev = new PageClient(porter.url);
    await dev.signIn(partner.dev.email, partner.dev.password);
    const tab = `/developer/apps/${partner.app.id}/credentials`;

    let page = (await dev.page(tab)).html;
    assert.match(page, /<p id="api-key-last-used"><span class="last-used">Never used<\/span>/);
    assert.match(page, /<p id="client-secret-last-used"><span class="last-used">Never used<\/span>/);
    const fresh = await getApp();
    assert.equal(fresh.api_key_last_used_at, null);
    assert.equal(fresh.client_secret_last_used_at, null);

    // Use every credential, then flush as the timer would.
    assert.equal((await callApi(porter, 'GET', '/v1/me', partner.apiKey)).status, 200);
    assert.equal((await exchange(partner.clientSecret)).status, 200);
    const before = Date.now();
    await porter.services.usage.flush();

    const used = await getApp(); // also a use of the developer token, noted after the flush
    for (const at of [used.api_key_last_used_at, used.client_secret_last_used_at]) {
      assert.ok(at && Math.abs(Date.parse(at) - before) < 10_000, String(at));
    }
    page = (await dev.page(tab)).html;
    assert.match(
      page,
      new RegExp(
        `<p id="api-key-last-used"><span class="last-used">Last used <time datetime="${used.api_key_last_used_at}">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC</time>`,
      ),
    );
    assert.match(page, /<p id="client-secret-last-used"><span class="last-used">Last used <time/);

    // Regenerate in the portal keeping the old secret for an hour: the tab says until when.
    const { csrf } = await dev.page(tab);
    const done = await dev.follow(
      await dev.post(`/developer/apps/${partner.app.id}/client-secret`, {
        _csrf: csrf,
        confirm: 'yes',
        keep_old: '60',
      }),
    );
    assert.equal(done.path, tab);
    const secret = /id="client-secret-value"[^>]*>(porter_cs_\w+)</.exec(done.html)?.[1] ?? '';
    assert.match(secret, /^porter_cs_/);
    const withWindow = await getApp();
    const until = withWindow.previous_client_secret.expires_at;
    assert.ok(Math.abs(Date.parse(until) - (Date.now() + 3_600_000)) < 60_000);
    // The old secret's last use moved with it; the new one is unused.
    assert.equal(withWindow.previous_client_secret.last_used_at, used.client_secret_last_used_at);
    assert.equal(withWindow.client_secret_last_used_at, null);
    const shown = `${until.slice(0, 10)} ${until.slice(11, 16)} UTC`;
    assert.ok(
      done.html.includes(`The previous secret works until <time datetime="${until}">${shown}</time>`),
    );
    assert.ok(done.html.includes('End the previous secret now'));

    // The developer tokens list: the used one has a time, a new one has none.
    await porter.services.credentials.createPersonalToken(partner.actor, partner.dev.company.id, 'unused');
    await porter.services.usage.flush();
    const tokens = (await dev.page('/developer')).html;
    assert.match(tokens, /<td>deploy<\/td><td[^>]*>[\d-]+<\/td><td><span class="last-used">Last used <time/);
    assert.match(
      tokens,
      /<td>unused<\/td><td[^>]*>[\d-]+<\/td><td><span class="last-used">Never used<\/span>/,
    );

    // End the window from the portal.
    const ended = await dev.follow(
      await dev.post(`/developer/apps/${partner.app.id}/client-secret/end-previous`, {
        _csrf: (await dev.page(tab)).csrf,
      }),
    );
    assert.ok(!ended.html.includes('The previous secret works until'));
    refused(await exchange(partner.clientSecret));
    assert.equal((await exchange(secret)).status, 200);
  });

  it('writes a last use at most once a minute per credential, and never moves it backwards', async () => {
    const { partner } = await setup('Gate Sync');
    const { usage } = porter.services;
    const apiKeyUse = async () =>
      (await porter.services.apps.get(partner.actor, partner.dev.company.id, partner.app.id))
        .api_key_last_used_at;

    assert.equal((await callApi(porter, 'GET', '/v1/me', partner.apiKey)).status, 200);
    await usage.flush();
    const first = await apiKeyUse();
    assert.ok(first);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await callApi(porter, 'GET', '/v1/me', partner.apiKey)).status, 200);
    await usage.flush();
    assert.equal(await apiKeyUse(), first, 'within the minute: not written again');
    // A minute later the pending use is written.
    await usage.lastUsed.write(Date.now() + 61_000);
    const second = await apiKeyUse();
    assert.ok(second && second > first, `${second} after ${first}`);

    // An older note (another process's, say) does not move the time back.
    const principal = await porter.services.credentials.authenticate(partner.apiKey);
    assert.ok(principal);
    usage.lastUsed.token(principal.tokenId, Date.parse(first) - 3_600_000);
    await usage.lastUsed.write(Date.now() + 200_000);
    assert.equal(await apiKeyUse(), second);

    // At shutdown (usage.stop) a use still inside its minute is written all the same.
    await new Promise((r) => setTimeout(r, 5));
    assert.equal((await callApi(porter, 'GET', '/v1/me', partner.apiKey)).status, 200);
    await usage.flush();
    assert.equal(await apiKeyUse(), second);
    await usage.lastUsed.write(Date.now(), true);
    const third = await apiKeyUse();
    assert.ok(third && third > second, `${third} after ${second}`);
  });
});
