import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { CLI_ACTOR } from '../src/audit/service.js';
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
    return { ...(await client.follow(res)), posted: res };
  }

  it('creates an app, redirects to its page with the API key shown once, and the key works', async () => {
    const { client, company } = await signedIn();
    const { posted, html, path } = await createApp(client);
    assert.equal(posted.status, 303, 'Post/Redirect/Get');
    assert.match(path, /^\/developer\/apps\/app_[a-z0-9]+$/);
    const apiKey = secretIn(html, 'api-key-value');
    assert.match(apiKey, /^porter_ak_/);
    assert.match(html, /<span class="badge private" data-testid="status">Private<\/span>/);
    const me = await callApi(porter, 'GET', '/v1/me', apiKey);
    assert.equal(me.status, 200);
    assert.equal(me.body.company.id, company.id);
    const list = await (await client.get('/developer')).text();
    assert.match(list, /Portal App<\/a><\/td><td><span class="badge private"/);
    const reloaded = await (await client.get(path)).text();
    assert.equal(reloaded.includes(apiKey), false, 'a reload does not show the API key again');
    const audit = await (await client.get(`${path}/audit`)).text();
    assert.match(audit, /App created/, 'the audit log lists the creation');
    assert.equal((await porter.services.apps.list(CLI_ACTOR, company.id)).length, 1, 'one app, once');
  });

  it('sends a refused form back with each error next to its field, a summary, and what was typed', async () => {
    const { client } = await signedIn();
    const { posted, html, path } = await createApp(client, {
      name: '',
      redirect_urls: 'http://insecure.example/cb',
      scopes: 'nope:write',
    });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get('location'), '/developer/apps/new#app-form');
    assert.equal(path, '/developer/apps/new');
    assert.match(html, /<p class="field-error" id="name-error">is required<\/p>/);
    assert.match(html, /id="redirect_urls-error">http:\/\/insecure.example\/cb must use https/);
    assert.match(html, /id="scopes-error">unknown scope: nope:write/);
    assert.match(html, />http:\/\/insecure.example\/cb<\/textarea>/);
    assert.match(html, /<li><a href="#name">App name<\/a>: is required<\/li>/, 'the summary names the label');
    assert.match(
      html,
      /<input type="text" id="name" name="name" value="" required aria-invalid="true" aria-describedby="name-error">/,
    );
    const again = await (await client.get('/developer/apps/new')).text();
    assert.doesNotMatch(again, /field-error/, 'a reload shows a fresh form');
  });

  it('enables distribution, regenerates the secret with confirmation, and deletes by typed name', async () => {
    const { client } = await signedIn();
    const { html, path: appPath } = await createApp(client);
    const apiKey = secretIn(html, 'api-key-value');
    const distPage = await client.page(`${appPath}/distribution`);
    const dist = await client.submit(`${appPath}/distribution`, {
      _csrf: distPage.csrf,
      redirect_urls: 'https://portal.example/cb\nmyapp://cb',
    });
    assert.equal(dist.path, `${appPath}/distribution`);
    const secret = secretIn(dist.html, 'client-secret-value');
    assert.match(secret, /^porter_cs_/);
    assert.match(dist.html, /Unlisted/);
    assert.match(
      dist.html,
      /id="distribution-url">http:\/\/127\.0\.0\.1:\d+\/integrations\/oauth-install\?client_id=/,
    );
    assert.match(dist.html, /data-copy="distribution-url"/, 'a copy button beside the distribution URL');
    assert.match(dist.html, /data-copy="client-id"/, 'a copy button beside the client ID');

    const unconfirmed = await client.submit(`${appPath}/client-secret`, { _csrf: dist.csrf });
    assert.equal(unconfirmed.path, `${appPath}/credentials`);
    assert.match(unconfirmed.html, /confirm that the current secret stops working/);
    const regen = await client.submit(`${appPath}/client-secret`, { _csrf: dist.csrf, confirm: 'yes' });
    const newSecret = secretIn(regen.html, 'client-secret-value');
    assert.match(newSecret, /^porter_cs_/);
    assert.notEqual(newSecret, secret);

    const wrongName = await client.submit(`${appPath}/delete`, {
      _csrf: dist.csrf,
      confirm_name: 'portal app',
    });
    assert.equal(wrongName.path, `${appPath}/danger`);
    assert.match(wrongName.html, /id="confirm_name-error">type the app&#39;s name, Portal App, to confirm/);
    assert.equal((await callApi(porter, 'GET', '/v1/me', apiKey)).status, 200, 'still alive');
    const del = await client.submit(`${appPath}/delete`, { _csrf: dist.csrf, confirm_name: 'Portal App' });
    assert.equal(del.path, '/developer');
    assert.match(del.html, /Portal App was deleted and every token it issued was revoked/);
    assert.equal((await callApi(porter, 'GET', '/v1/me', apiKey)).status, 401);
    assert.equal((await client.get(appPath)).status, 404);
  });

  it('serves each tab of an app page at its own URL', async () => {
    const { client } = await signedIn();
    const { path } = await createApp(client);
    for (const [tab, heading] of [
      ['', 'Settings'],
      ['/credentials', 'API key'],
      ['/distribution', 'Manage Distribution'],
      ['/listing', 'Marketplace listing'],
      ['/webhooks', 'Endpoint'],
      ['/audit', 'Audit log'],
      ['/danger', 'Danger zone'],
    ]) {
      const { res, html } = await client.page(`${path}${tab}`);
      assert.equal(res.status, 200, tab);
      assert.match(html, new RegExp(`<h2 id="[a-z-]+-h">${heading}</h2>`), tab);
      assert.match(html, new RegExp(`href="${path}${tab}" aria-current="page"`), `${tab} is the current tab`);
    }
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

  it('creates a developer token shown once; a reload neither shows it again nor makes another', async () => {
    const { client, user, company } = await signedIn();
    const { csrf } = await client.page('/developer');
    const created = await client.submit('/developer/tokens', { _csrf: csrf, token_name: 'CI deploy' });
    assert.equal(created.path, '/developer');
    const token = secretIn(created.html, 'token-value');
    assert.match(token, /^porter_pt_/);
    const reload = await (await client.get('/developer')).text();
    assert.equal(reload.includes(token), false, 'shown once');
    const actor = { kind: 'user' as const, userId: user.id, label: 'test' };
    assert.equal((await porter.services.credentials.listPersonalTokens(actor, company.id)).length, 1);
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 200);
    const tokenId = /action="\/developer\/tokens\/(tok_[a-z0-9]+)\/revoke"/.exec(reload)?.[1] ?? '';
    const revoked = await client.submit(`/developer/tokens/${tokenId}/revoke`, { _csrf: csrfOf(reload) });
    assert.match(revoked.html, /Developer token revoked/);
    assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 401);
  });

  it('shows a new secret only to the session that made it, and only on its page', async () => {
    const { client, email, password } = await signedIn();
    const { csrf } = await client.page('/developer');
    const res = await client.post('/developer/tokens', { _csrf: csrf, token_name: 'Mine' });
    const flash = client.cookies.get('porter_flash') ?? '';
    assert.ok(flash.length > 0);
    const other = new PageClient(porter.url);
    await other.signIn(email, password);
    other.cookies.set('porter_flash', flash);
    assert.doesNotMatch(await (await other.get('/developer')).text(), /porter_pt_/, 'another session');
    const elsewhere = await client.get('/');
    assert.doesNotMatch(await elsewhere.text(), /porter_pt_/, 'another page leaves it');
    assert.match((await client.follow(res)).html, /porter_pt_/, 'its own page, once');
    const rows = await porter.db.selectFrom('flashes').select('payload').execute();
    for (const row of rows) assert.doesNotMatch(row.payload, /porter_pt_/, 'stored encrypted');
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
    const { html, path } = await createApp(client);
    assert.equal(path, '/developer/apps/new');
    assert.match(html, /role="alert">\s*<p>Only owners and admins of this company manage its apps/);
  });
});
