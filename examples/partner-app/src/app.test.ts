import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { PageClient } from '../../../packages/server/test/helpers/browserless.js';
import { forEachDialect } from '../../../packages/server/test/helpers/dialects.js';
import { publishForTest } from '../../../packages/server/test/helpers/marketplace.js';
import {
  answerConsent,
  authorizeCode,
  makeCustomer,
  makeDistributedApp,
  openConsent,
} from '../../../packages/server/test/helpers/oauth.js';
import { freePort, startPorter, type TestPorter } from '../../../packages/server/test/helpers/porter.js';
import { startExampleApp } from './app.js';

forEachDialect('example partner app, installed over HTTP', (dialect) => {
  let porter: TestPorter;
  let example: { url: string; close(): Promise<void> };
  let partner: Awaited<ReturnType<typeof makeDistributedApp>>;
  const dir = mkdtempSync(join(tmpdir(), 'partner-app-'));

  before(async () => {
    porter = await startPorter(dialect);
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    partner = await makeDistributedApp(porter, {
      name: 'Acme Sync',
      scopes: ['events:write', 'subscriptions:write'],
      redirectUrls: [`${publicUrl}/oauth/callback`],
    });
    example = await startExampleApp({
      porterUrl: porter.url,
      clientId: partner.clientId,
      clientSecret: partner.clientSecret,
      publicUrl,
      port,
      dbPath: join(dir, 'partner.db'),
    });
  });
  after(async () => {
    await example.close();
    await porter.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Presses "Install in Porter" in a fresh browser: the app's cookie and Porter's install URL. */
  async function pressInstall() {
    const browser = new PageClient(example.url);
    const home = await browser.page('/');
    assert.match(home.html, /<button type="submit">Install in Porter<\/button>/);
    assert.match(
      home.res.headers.get('set-cookie') ?? '',
      /^partner_sid=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const res = await browser.post('/install', {});
    assert.equal(res.status, 303);
    const location = res.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${porter.url}/integrations/oauth-install?`), location);
    return { browser, installUrl: location };
  }

  /** Porter sends the browser back to the app's callback; the app answers it. */
  async function backToApp(browser: PageClient, location: string) {
    const url = new URL(location);
    assert.equal(url.origin, example.url);
    return browser.get(`${url.pathname}${url.search}`);
  }

  async function installAs(company: string) {
    const customer = await makeCustomer(porter, { company });
    const { browser, installUrl } = await pressInstall();
    const url = new URL(installUrl);
    assert.ok(url.searchParams.get('state'));
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    const { location } = await authorizeCode(customer.client, installUrl);
    const back = await backToApp(browser, location);
    assert.equal(back.status, 303);
    assert.equal(back.headers.get('location'), '/dashboard');
    return { customer, browser };
  }

  it('installs into the customer company, shows it on the dashboard, and syncs data as a custom event', async () => {
    const { customer, browser } = await installAs('Globex Retail');
    const dashboard = await browser.page('/dashboard');
    assert.match(dashboard.html, /<h1>Globex Retail<\/h1>/);
    assert.match(dashboard.html, /events:write, subscriptions:write/);
    const synced = await browser.submit('/sync', {});
    assert.equal(synced.path, '/dashboard');
    const eventId = /Porter recorded event (evt_[A-Za-z0-9]+)/.exec(synced.html)?.[1];
    assert.ok(eventId, synced.html);
    const caller = { companyId: customer.company.id, appId: partner.app.id };
    const page = await porter.services.resources.listCustomEvents(caller, { limit: 10 });
    assert.deepEqual(
      page.items.map((e) => [e.id, e.type]),
      [[eventId, 'Data Synced']],
    );
    // The message is shown once (Post/Redirect/Get).
    assert.doesNotMatch((await browser.page('/dashboard')).html, /Porter recorded event/);
    // Home sends an installed browser to its dashboard.
    assert.equal((await browser.get('/')).headers.get('location'), '/dashboard');
  });

  it("starts an install from a plain link to /install (its marketplace Install URL) with this browser's state and PKCE", async () => {
    const customer = await makeCustomer(porter, { company: 'Marketplace Buyer' });
    const browser = new PageClient(example.url);
    const res = await browser.get('/install');
    assert.equal(res.status, 303);
    assert.match(
      res.headers.get('set-cookie') ?? '',
      /^partner_sid=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax/,
    );
    const location = res.headers.get('location') ?? '';
    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, `${porter.url}/integrations/oauth-install`);
    assert.equal(url.searchParams.get('client_id'), partner.clientId);
    assert.equal(url.searchParams.get('redirect_uri'), `${example.url}/oauth/callback`);
    assert.match(url.searchParams.get('state') ?? '', /^[\w-]{20,}$/);
    assert.match(url.searchParams.get('code_challenge') ?? '', /^[\w-]{43}$/);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    const { location: back } = await authorizeCode(customer.client, location);
    const done = await backToApp(browser, back);
    assert.equal(done.status, 303, 'the callback accepts the state it issued');
    assert.equal(done.headers.get('location'), '/dashboard');
    assert.match((await browser.page('/dashboard')).html, /<h1>Marketplace Buyer<\/h1>/);
  });

  it('keeps one token per company: each browser sees the company it installed into', async () => {
    const first = await installAs('Initech');
    const second = await installAs('Umbrella Corp');
    assert.match((await first.browser.page('/dashboard')).html, /<h1>Initech<\/h1>/);
    assert.match((await second.browser.page('/dashboard')).html, /<h1>Umbrella Corp<\/h1>/);
  });

  it('shows a friendly page with a retry button when the customer declines', async () => {
    const customer = await makeCustomer(porter, { company: 'Decliner Inc' });
    const { browser, installUrl } = await pressInstall();
    const consent = await openConsent(customer.client, installUrl);
    const { location } = await answerConsent(customer.client, consent, 'decline');
    const res = await backToApp(browser, location);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1>You declined the install<\/h1>/);
    assert.match(html, /<form method="post" action="\/install"><button type="submit">Try again<\/button>/);
    assert.equal((await browser.post('/install', {})).status, 303);
  });

  it('asks to reinstall once Porter refuses the token (app uninstalled), and forgets the token', async () => {
    const { customer, browser } = await installAs('Revoked Ltd');
    const actor = { kind: 'user' as const, userId: customer.user.id, label: customer.email };
    const [installation] = await porter.services.installations.list(actor, customer.company.id);
    await porter.services.installations.uninstall(actor, customer.company.id, installation?.id ?? '');
    const synced = await browser.submit('/sync', {});
    assert.match(synced.html, /<h1>Reinstall Acme Sync<\/h1>/);
    assert.match(synced.html, /can no longer reach Revoked Ltd/);
    assert.match(synced.html, /<button type="submit">Reinstall in Porter<\/button>/);
    // Reinstalling from the prompt brings the dashboard back.
    const res = await browser.post('/install', {});
    const { location } = await authorizeCode(customer.client, res.headers.get('location') ?? '');
    assert.equal((await backToApp(browser, location)).headers.get('location'), '/dashboard');
    assert.match((await browser.page('/dashboard')).html, /<h1>Revoked Ltd<\/h1>/);
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const customer = await makeCustomer(porter, { company: 'Forged Co' });
    const victim = await pressInstall();
    const attacker = await pressInstall();
    const { location } = await authorizeCode(customer.client, attacker.installUrl);
    const res = await backToApp(victim.browser, location);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /does not match the state this session sent/);
    assert.equal((await victim.browser.get('/dashboard')).headers.get('location'), '/');
    const stale = await backToApp(new PageClient(example.url), location);
    assert.equal(stale.status, 400);
    assert.match(await stale.text(), /This install has expired/);
  });

  it("installs from Porter's marketplace through its Install URL; the bare distribution URL's stateless callback is refused", async () => {
    await publishForTest(porter, partner.app, { installUrl: `${example.url}/install` });
    const customer = await makeCustomer(porter, { company: 'Marketplace Shop' });
    const listing = await customer.client.page(`/marketplace/apps/${partner.app.id}`);
    const href = /<a class="button" href="([^"]+)">Install/.exec(listing.html)?.[1] ?? '';
    assert.equal(href, `${example.url}/install`, 'Install leads to the app');
    const browser = new PageClient(example.url);
    const started = await browser.get(new URL(href).pathname);
    assert.equal(started.status, 303);
    const { location } = await authorizeCode(customer.client, started.headers.get('location') ?? '');
    const back = await backToApp(browser, location);
    assert.equal(back.status, 303, 'the callback gets the state it issued');
    assert.match((await browser.page('/dashboard')).html, /<h1>Marketplace Shop<\/h1>/);

    // What Install did before: the distribution URL, whose callback carries no state of the app's.
    const other = await makeCustomer(porter, { company: 'Stateless Store' });
    const direct = await authorizeCode(other.client, partner.distributionUrl);
    assert.equal(new URL(direct.location).searchParams.get('state'), null);
    const refused = await backToApp(new PageClient(example.url), direct.location);
    assert.equal(refused.status, 400);
  });

  it('refuses a form posted from another site', async () => {
    const res = await fetch(`${example.url}/install`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      redirect: 'manual',
    });
    assert.equal(res.status, 403);
  });
});
