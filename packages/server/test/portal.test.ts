import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { csrfOf, PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

const secretIn = (html: string, id: string) => new RegExp(`id="${id}">([^<]+)<`).exec(html)?.[1] ?? '';

forEachDialect('developer portal pages', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  async function signedIn() {
    const dev = await makeUser(porter, { company: 'Dev Shop' });
    const client = new PageClient(porter.url);
    await client.signIn(dev.email, dev.password);
    return { ...dev, client };
  }

  async function createApp(client: PageClient, fields: Record<string, string> = {}) {
    const { csrf } = await client.page('/developer/apps/new');
    const form = new URLSearchParams({
      _csrf: csrf,
      name: 'Portal App',
      description: 'Made in the portal',
      ...fields,
    });
    if (!fields.scopes) {
      form.append('scopes', 'events:write');
      form.append('scopes', 'subscriptions:write');
    }
    const res = await client.request('/developer/apps', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    return { res, html: await res.text() };
  }

  it('creates an app, shows its API key once, and the key works on /v1/me', async () => {
    const { client, company } = await signedIn();
    const { res, html } = await createApp(client);
    assert.equal(res.status, 201);
    const apiKey = secretIn(html, 'api-key-value');
    assert.match(apiKey, /^porter_ak_/);
    assert.match(html, /<span class="badge private" data-testid="status">Private<\/span>/);
    const me = await callApi(porter, 'GET', '/v1/me', apiKey);
    assert.equal(me.status, 200);
    assert.equal(me.body.company.id, company.id);
    const list = await (await client.get('/developer')).text();
    assert.match(list, /Portal App<\/a><\/td><td><span class="badge private"/);
    const appId = /href="\/developer\/apps\/(app_[a-z0-9]+)"/.exec(list)?.[1] ?? '';
    const page = await (await client.get(`/developer/apps/${appId}`)).text();
    assert.equal(page.includes(apiKey), false, 'the API key is not shown again');
    assert.match(page, /App created/, 'the audit log lists the creation');
  });

  it('shows field errors next to the fields and keeps what was typed', async () => {
    const { client } = await signedIn();
    const { res, html } = await createApp(client, {
      name: '',
      redirect_urls: 'http://insecure.example/cb',
      scopes: 'nope:write',
    });
    assert.equal(res.status, 400);
    assert.match(html, /<p class="field-error" id="name-error">is required<\/p>/);
    assert.match(html, /id="redirect_urls-error">http:\/\/insecure.example\/cb must use https/);
    assert.match(html, /id="scopes-error">unknown scope: nope:write/);
    assert.match(html, />http:\/\/insecure.example\/cb<\/textarea>/);
  });

  it('enables distribution, regenerates the secret with confirmation, and deletes by typed name', async () => {
    const { client } = await signedIn();
    const { html } = await createApp(client);
    const apiKey = secretIn(html, 'api-key-value');
    const appId = /action="\/developer\/apps\/(app_[a-z0-9]+)\/distribution"/.exec(html)?.[1] ?? '';
    const dist = await client.post(`/developer/apps/${appId}/distribution`, {
      _csrf: csrfOf(html),
      redirect_urls: 'https://portal.example/cb\nmyapp://cb',
    });
    const distHtml = await dist.text();
    assert.equal(dist.status, 200);
    const secret = secretIn(distHtml, 'client-secret-value');
    assert.match(secret, /^porter_cs_/);
    assert.match(distHtml, /Unlisted/);
    assert.match(
      distHtml,
      /id="distribution-url">http:\/\/127\.0\.0\.1:\d+\/integrations\/oauth-install\?client_id=/,
    );

    const unconfirmed = await client.post(`/developer/apps/${appId}/client-secret`, {
      _csrf: csrfOf(distHtml),
    });
    assert.equal(unconfirmed.status, 400);
    const regen = await client.post(`/developer/apps/${appId}/client-secret`, {
      _csrf: csrfOf(distHtml),
      confirm: 'yes',
    });
    const newSecret = secretIn(await regen.text(), 'client-secret-value');
    assert.match(newSecret, /^porter_cs_/);
    assert.notEqual(newSecret, secret);

    const wrongName = await client.post(`/developer/apps/${appId}/delete`, {
      _csrf: csrfOf(distHtml),
      confirm_name: 'portal app',
    });
    assert.equal(wrongName.status, 400);
    assert.match(
      await wrongName.text(),
      /id="confirm_name-error">type the app&#39;s name, Portal App, to confirm/,
    );
    assert.equal((await callApi(porter, 'GET', '/v1/me', apiKey)).status, 200, 'still alive');
    const del = await client.post(`/developer/apps/${appId}/delete`, {
      _csrf: csrfOf(distHtml),
      confirm_name: 'Portal App',
    });
    assert.equal(del.status, 303);
    assert.equal(del.headers.get('location'), '/developer?notice=deleted');
    assert.equal((await callApi(porter, 'GET', '/v1/me', apiKey)).status, 401);
    assert.equal((await client.get(`/developer/apps/${appId}`)).status, 404);
  });

  it("answers another company's app page and forms with 404", async () => {
    const owner = await signedIn();
    const { html } = await createApp(owner.client);
    const appId = /action="\/developer\/apps\/(app_[a-z0-9]+)\/distribution"/.exec(html)?.[1] ?? '';
    const stranger = await signedIn();
    assert.equal((await stranger.client.get(`/developer/apps/${appId}`)).status, 404);
    const { csrf } = await stranger.client.page('/developer');
    for (const action of ['settings', 'api-key', 'distribution', 'client-secret', 'delete']) {
      const res = await stranger.client.post(`/developer/apps/${appId}/${action}`, {
        _csrf: csrf,
        confirm: 'yes',
        confirm_name: 'Portal App',
        name: 'x',
      });
      assert.equal(res.status, 404, action);
    }
  });

  it('lets a developer create a test company they own and switch into it', async () => {
    const { client, user } = await signedIn();
    const { csrf } = await client.page('/developer');
    const res = await client.post('/developer/test-companies', {
      _csrf: csrf,
      company_name: 'Dev Shop Sandbox',
    });
    assert.equal(res.status, 303);
    const companies = await porter.services.accounts.listCompanies(user.id);
    const sandbox = companies.find((c) => c.name === 'Dev Shop Sandbox');
    assert.ok(sandbox);
    assert.equal(sandbox.is_test, 1);
    assert.equal(sandbox.role, 'owner');
    const page = await client.page('/developer');
    await client.post('/account/company', { _csrf: page.csrf, company_id: sandbox.id });
    assert.match(
      await (await client.get('/developer')).text(),
      /Developer portal <span class="muted">· Dev Shop Sandbox/,
    );
  });

  it('creates a developer token shown once that works on the developer API, and revokes it', async () => {
    const { client } = await signedIn();
    const { csrf } = await client.page('/developer');
    const res = await client.post('/developer/tokens', { _csrf: csrf, token_name: 'CI deploy' });
    const token = secretIn(await res.text(), 'token-value');
    assert.match(token, /^porter_pt_/);
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 200);
    const portal = await (await client.get('/developer')).text();
    const tokenId = /action="\/developer\/tokens\/(tok_[a-z0-9]+)\/revoke"/.exec(portal)?.[1] ?? '';
    await client.post(`/developer/tokens/${tokenId}/revoke`, { _csrf: csrfOf(portal) });
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 401);
  });

  it('tells a plain member that only owners and admins manage apps', async () => {
    const owner = await signedIn();
    const member = await makeUser(porter);
    await porter.services.accounts.addMember({
      companyId: owner.company.id,
      email: member.email,
      role: 'member',
    });
    const client = new PageClient(porter.url);
    await client.signIn(member.email, member.password);
    const { csrf } = await client.page('/');
    await client.post('/account/company', { _csrf: csrf, company_id: owner.company.id });
    assert.match(
      await (await client.get('/developer')).text(),
      /Only owners and admins of this company manage its apps/,
    );
    const { res } = await createApp(client);
    assert.equal(res.status, 403);
  });
});
