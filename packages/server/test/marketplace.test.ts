import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SCOPES } from '../src/apps/scopes.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { publishForTest, setStatusForTest, type TestListing } from './helpers/marketplace.js';
import { authorizeCode, exchangeBody, makeCustomer, postToken, REDIRECT } from './helpers/oauth.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

// The public marketplace over HTTP: only published apps, search, categories with counts, sort,
// pages, install counts from real installs, an app's page, and unlisted apps kept out of it.

/** A developer company (named `developer`) with a distributed app. */
async function distributedApp(
  porter: TestPorter,
  opts: { name: string; developer?: string; scopes?: string[] },
) {
  const dev = await makeUser(porter, { company: opts.developer ?? `${opts.name} Labs` });
  const actor = { kind: 'user' as const, userId: dev.user.id, label: dev.email };
  const { app } = await porter.services.apps.create(actor, dev.company.id, {
    name: opts.name,
    scopes: opts.scopes ?? ['events:write', 'subscriptions:write'],
  });
  const distributed = await porter.services.apps.enableDistribution(actor, dev.company.id, app.id, {
    redirect_urls: [REDIRECT],
  });
  return {
    dev,
    app: distributed.app,
    clientId: distributed.app.client_id ?? '',
    clientSecret: distributed.clientSecret,
    redirectUri: REDIRECT,
    distributionUrl: distributed.app.distribution_url ?? '',
  };
}

async function published(
  porter: TestPorter,
  name: string,
  listing: TestListing & { developer?: string } = {},
) {
  const made = await distributedApp(porter, { name, developer: listing.developer });
  await publishForTest(porter, made.app, listing);
  return made;
}

/** The apps on a marketplace page, in order: id and name of each card. */
function cards(html: string) {
  return [...html.matchAll(/<h3><a href="\/marketplace\/apps\/(app_[a-z0-9]+)">([^<]*)<\/a><\/h3>/g)].map(
    (m) => ({ id: m[1] ?? '', name: m[2] ?? '' }),
  );
}

async function browse(porter: TestPorter, query = '') {
  const res = await fetch(`${porter.url}/marketplace${query}`);
  const html = await res.text();
  return { status: res.status, html, names: cards(html).map((c) => c.name) };
}

/** Installs the app into a new customer company through the real flow (consent, code, token). */
async function install(
  porter: TestPorter,
  partner: Awaited<ReturnType<typeof distributedApp>>,
  company: string,
) {
  const customer = await makeCustomer(porter, { company });
  const { code } = await authorizeCode(customer.client, partner.distributionUrl);
  const token = await postToken(porter, exchangeBody(partner, code));
  assert.equal(token.status, 200, JSON.stringify(token.body));
  return customer;
}

forEachDialect('the marketplace', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(async () => {
    await porter?.close();
  });

  describe('with no published app', () => {
    it('says so, and what a developer does to be listed', async () => {
      await distributedApp(porter, { name: 'Lonely Unlisted' });
      const page = await browse(porter);
      assert.equal(page.status, 200);
      assert.deepEqual(page.names, []);
      assert.match(page.html, /No apps are published yet/);
      assert.match(page.html, /submit it for review/);
    });
  });

  describe('listing', () => {
    it('lists published apps only, never unlisted, private, in review, rejected, suspended or deleted ones', async () => {
      const shown = await published(porter, 'Visible Mailer', { category: 'marketing' });
      const hidden: { id: string; status: string }[] = [];
      const unlisted = await distributedApp(porter, { name: 'Hidden Unlisted' });
      hidden.push({ id: unlisted.app.id, status: 'unlisted' });
      const dev = await makeUser(porter, { company: 'Private Co' });
      const actor = { kind: 'user' as const, userId: dev.user.id, label: dev.email };
      const { app: privateApp } = await porter.services.apps.create(actor, dev.company.id, {
        name: 'Hidden Private',
        scopes: ['events:write'],
      });
      hidden.push({ id: privateApp.id, status: 'private' });
      for (const status of ['in_review', 'rejected'] as const) {
        const made = await distributedApp(porter, { name: `Hidden ${status}` });
        await setStatusForTest(porter, made.app.id, status);
        hidden.push({ id: made.app.id, status });
      }
      // Once published, then suspended or deleted: the live listing stays, the app does not show.
      for (const status of ['suspended', 'deleted'] as const) {
        const made = await published(porter, `Hidden ${status}`);
        await setStatusForTest(porter, made.app.id, status);
        hidden.push({ id: made.app.id, status });
      }

      const page = await browse(porter);
      assert.ok(page.names.includes('Visible Mailer'), page.names.join(', '));
      assert.deepEqual(
        page.names.filter((n) => n.startsWith('Hidden')),
        [],
      );
      assert.equal((await fetch(`${porter.url}/marketplace/apps/${shown.app.id}`)).status, 200);
      for (const h of hidden) {
        const res = await fetch(`${porter.url}/marketplace/apps/${h.id}`);
        assert.equal(res.status, 404, `a ${h.status} app has no marketplace page`);
        assert.match(await res.text(), /does not exist/);
      }
    });

    it('shows the live listing of a published app whose change waits for review', async () => {
      const made = await published(porter, 'Steady Changer', { tagline: 'The approved tagline' });
      const draft = { tagline: 'A tagline still in review', description: 'New', category: 'finance' };
      await porter.db
        .insertInto('app_reviews')
        .values({
          id: 'rev_0000000000000001',
          app_id: made.app.id,
          company_id: made.dev.company.id,
          status: 'pending',
          listing: JSON.stringify(draft),
          scopes: JSON.stringify(['events:write', 'subscriptions:write', 'attributes:write']),
          app_status_before: 'published',
          submitted_by: made.dev.email,
          submitted_by_user_id: made.dev.user.id,
          submitted_at: new Date().toISOString(),
        })
        .execute();
      await porter.db
        .updateTable('apps')
        .set({ listing_draft: JSON.stringify(draft) })
        .where('id', '=', made.app.id)
        .execute();
      const page = await browse(porter, '?q=steady');
      assert.deepEqual(page.names, ['Steady Changer']);
      const html = await (await fetch(`${porter.url}/marketplace/apps/${made.app.id}`)).text();
      assert.match(html, /The approved tagline/);
      assert.doesNotMatch(html, /still in review/);
      assert.doesNotMatch(html, /attributes:write/, 'the scopes under review are not offered yet');
    });

    it('answers the 404 page for an unknown or malformed app id', async () => {
      for (const id of ['app_0000000000000000', 'nope', '%27%20or%201%3D1', 'x'.repeat(90)]) {
        const res = await fetch(`${porter.url}/marketplace/apps/${id}`);
        assert.equal(res.status, 404, id);
        assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      }
    });
  });

  describe('search, categories, sort and pages', () => {
    before(async () => {
      await published(porter, 'Ledger Lion', {
        category: 'finance',
        tagline: 'Books that balance themselves',
        developer: 'Numbers Guild',
      });
      await published(porter, 'Chart Owl', {
        category: 'analytics',
        tagline: 'Dashboards for every team',
        description: 'Funnels, cohorts and\nretention curves.',
      });
      await published(porter, 'Discount Desk', {
        category: 'ecommerce',
        tagline: 'Take 100% control of coupons',
      });
      await published(porter, 'Snake_Case Sync', { category: 'developer-tools', tagline: 'Keys, renamed' });
      await published(porter, 'SnakeXCase Sync', { category: 'developer-tools', tagline: 'A lookalike' });
    });

    it('searches name, tagline, description and developer, ignoring case', async () => {
      assert.deepEqual((await browse(porter, '?q=LEDGER')).names, ['Ledger Lion']);
      assert.deepEqual((await browse(porter, '?q=balance%20THEMSELVES')).names, ['Ledger Lion']);
      assert.deepEqual((await browse(porter, '?q=cohorts')).names, ['Chart Owl']);
      assert.deepEqual((await browse(porter, '?q=numbers%20guild')).names, ['Ledger Lion']);
      const none = await browse(porter, '?q=zeppelin');
      assert.deepEqual(none.names, []);
      assert.match(none.html, /No apps match “zeppelin”/);
      assert.match(none.html, /see every app/);
    });

    it('takes % and _ in a search literally, not as wildcards', async () => {
      assert.deepEqual((await browse(porter, '?q=100%25')).names, ['Discount Desk']);
      assert.deepEqual((await browse(porter, '?q=%25')).names, ['Discount Desk']);
      assert.deepEqual((await browse(porter, '?q=snake_case')).names, ['Snake_Case Sync']);
      assert.deepEqual((await browse(porter, '?q=_')).names, ['Snake_Case Sync']);
      assert.deepEqual((await browse(porter, '?q=%5C')).names, [], 'a backslash matches only itself');
    });

    it('filters by category and counts the apps of each, within the search', async () => {
      const tools = await browse(porter, '?category=developer-tools');
      assert.deepEqual(tools.names.sort(), ['Snake_Case Sync', 'SnakeXCase Sync'].sort());
      assert.match(tools.html, /aria-current="page">Developer tools <span class="count">\(2\)/);
      assert.match(tools.html, /Finance and accounting <span class="count">\(1\)/);
      assert.match(tools.html, /Customer support <span class="count">\(0\)/);
      assert.match(tools.html, /<h2 id="results-h">2 apps in Developer tools<\/h2>/);

      const searched = await browse(porter, '?q=snake');
      assert.match(searched.html, /Developer tools <span class="count">\(2\)/);
      assert.match(searched.html, /Finance and accounting <span class="count">\(0\)/);
      assert.match(searched.html, /All categories <span class="count">\(2\)/);
      // The category links keep the search.
      assert.match(searched.html, /href="\/marketplace\?q=snake&amp;category=finance"/);

      const empty = await browse(porter, '?q=snake&category=finance');
      assert.deepEqual(empty.names, []);
      assert.match(empty.html, /No apps match “snake” in Finance and accounting/);
      assert.match(empty.html, /search every category/);
    });

    it('sorts by most installed (counting real installs, not test companies), newest and name', async () => {
      const busy = await published(porter, 'Busy Bee', {
        category: 'productivity',
        publishedAt: '2020-01-01T00:00:00.000Z',
      });
      const fresh = await published(porter, 'Acorn Fresh', {
        category: 'productivity',
        publishedAt: '2030-01-01T00:00:00.000Z',
      });
      await install(porter, busy, 'Installer One');
      await install(porter, busy, 'Installer Two');
      await install(porter, fresh, 'Installer Three');
      // The developer's own test company: not a real install.
      const test = await porter.services.accounts.createOwnedCompany(busy.dev.user.id, {
        name: 'Bee Test',
        isTest: true,
      });
      const devClient = new PageClient(porter.url);
      await devClient.signIn(busy.dev.email, busy.dev.password);
      const { location } = await authorizeCode(devClient, busy.distributionUrl, test.id);
      assert.match(location, /code=/, 'installed into the test company');

      const byInstalls = await browse(porter, '?category=productivity');
      assert.deepEqual(byInstalls.names, ['Busy Bee', 'Acorn Fresh']);
      assert.match(byInstalls.html, /2 installs/);
      assert.match(byInstalls.html, /1 install</);
      assert.deepEqual((await browse(porter, '?category=productivity&sort=newest')).names, [
        'Acorn Fresh',
        'Busy Bee',
      ]);
      assert.deepEqual((await browse(porter, '?category=productivity&sort=name')).names, [
        'Acorn Fresh',
        'Busy Bee',
      ]);
      const listing = await (await fetch(`${porter.url}/marketplace/apps/${busy.app.id}`)).text();
      assert.match(listing, /2 installs/);

      const everything = (await browse(porter, '?sort=installs')).names;
      assert.equal(everything[0], 'Busy Bee', 'the most installed first');
    });

    it('pages through the apps, twelve a page, keeping the query in the links', async () => {
      for (let i = 1; i <= 13; i++)
        await published(porter, `Bulk ${String(i).padStart(2, '0')}`, { category: 'other' });
      const first = await browse(porter, '?category=other&sort=name');
      assert.equal(first.names.length, 12);
      assert.equal(first.names[0], 'Bulk 01');
      assert.match(first.html, /Page 1 of 2/);
      assert.match(first.html, /href="\/marketplace\?category=other&amp;sort=name&amp;page=2" rel="next"/);
      assert.doesNotMatch(first.html, /rel="prev"/);
      const second = await browse(porter, '?category=other&sort=name&page=2');
      assert.deepEqual(second.names, ['Bulk 13']);
      assert.match(second.html, /rel="prev"/);
      assert.deepEqual(
        (await browse(porter, '?category=other&sort=name&page=99')).names,
        ['Bulk 13'],
        'past the end: the last page',
      );
    });

    it('answers odd query values with the closest page and a note, never an error', async () => {
      const unknown = await browse(porter, '?category=weapons');
      assert.equal(unknown.status, 200);
      assert.match(unknown.html, /That category does not exist; showing every category/);
      assert.ok(unknown.names.length > 0);
      const long = await browse(porter, `?q=${'ledger'.repeat(400)}`);
      assert.equal(long.status, 200);
      assert.match(long.html, /Searches are at most 100 characters; yours was shortened/);
      for (const query of [
        '?sort=price&page=-3',
        '?page=abc',
        '?page=99999999999999999999',
        '?q=a&q=b&category=finance&category=x',
        '?q=%27%3B%20drop%20table%20apps%3B--',
        '?q=%00%FF',
        '?q=',
      ]) {
        const page = await browse(porter, query);
        assert.equal(page.status, 200, query);
      }
      assert.deepEqual(
        (await browse(porter, '?q=ledger&q=owl')).names,
        ['Ledger Lion'],
        'a repeated parameter: the first',
      );
    });
  });

  describe("an app's page", () => {
    it('shows the listing, every scope in plain words, and Install as the distribution URL', async () => {
      const partner = await distributedApp(porter, {
        name: 'Scope Reader',
        developer: 'Reader Works',
        scopes: ['events:write', 'ecommerce:write', 'privacy_requests:write'],
      });
      const { screenshotIds, iconId } = await publishForTest(porter, partner.app, {
        tagline: 'Reads <your> scopes',
        description: 'First line.\nSecond line.',
        category: 'analytics',
        screenshots: 2,
        supportEmail: 'care@reader.example',
        privacyUrl: 'https://reader.example/privacy',
        publishedAt: '2026-03-05T10:00:00.000Z',
      });
      const res = await fetch(`${porter.url}/marketplace/apps/${partner.app.id}`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /<h1 id="app-h">Scope Reader<\/h1>/);
      assert.match(html, /by Reader Works/);
      assert.match(html, /Reads &lt;your&gt; scopes/, 'escaped');
      assert.match(html, /First line.\nSecond line./);
      assert.match(html, /Analytics and reporting/);
      assert.match(html, /0 installs/);
      assert.match(html, /Published 5 March 2026/);
      for (const scope of ['events:write', 'ecommerce:write', 'privacy_requests:write'])
        assert.ok(html.includes(`${DEFAULT_SCOPES[scope]} <code>${scope}</code>`), scope);
      assert.doesNotMatch(html, /subscriptions:write/);
      assert.ok(html.includes(`src="/listing-images/${iconId}"`));
      for (const [i, id] of screenshotIds.entries())
        assert.ok(
          html.includes(`src="/listing-images/${id}" alt="Screenshot ${i + 1} of 2 of Scope Reader"`),
        );
      assert.match(html, /href="mailto:care@reader.example"/);
      assert.match(html, /href="https:\/\/reader.example\/privacy"/);
      const install = /<a class="button" href="([^"]+)">Install</.exec(html)?.[1] ?? '';
      assert.equal(install.replaceAll('&amp;', '&'), partner.distributionUrl);
      assert.match(html, /You sign in, choose your company/);
    });

    it("leads Install to the app's own install page when its listing names one, and the JSON API says the same", async () => {
      const partner = await published(porter, 'Own Start', {
        installUrl: 'https://own-start.example/install?from=porter',
      });
      const installHref = async (client?: PageClient) => {
        const path = `/marketplace/apps/${partner.app.id}`;
        const html = client
          ? (await client.page(path)).html
          : await (await fetch(`${porter.url}${path}`)).text();
        return (/<a class="button" href="([^"]+)">Install/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&');
      };
      assert.equal(await installHref(), 'https://own-start.example/install?from=porter', 'signed out');
      const page = await (await fetch(`${porter.url}/marketplace/apps/${partner.app.id}`)).text();
      assert.match(
        page,
        /Install opens Own Start&#39;s site first, which sends you on to Porter\. You sign in/,
      );
      const customer = await makeCustomer(porter, { company: 'Own Start Buyer' });
      assert.equal(await installHref(customer.client), 'https://own-start.example/install?from=porter');
      const api = async () =>
        (await (await fetch(`${porter.url}/v1/marketplace/apps/${partner.app.id}`)).json()).install_url;
      assert.equal(await api(), 'https://own-start.example/install?from=porter');

      // Its next approved listing without one: the distribution URL again, on the page and in the API.
      const operator = { kind: 'operator' as const, label: 'test' };
      const { listings, reviews } = porter.services;
      const { draft } = await listings.draft(operator, partner.dev.company.id, partner.app.id);
      await listings.saveDraft(operator, partner.dev.company.id, partner.app.id, {
        fields: { ...draft, install_url: '' },
      });
      await reviews.approve(
        operator,
        (await reviews.submit(operator, partner.dev.company.id, partner.app.id)).id,
      );
      assert.equal(await installHref(), partner.distributionUrl);
      assert.equal(await api(), partner.distributionUrl);
    });

    it("says where the viewer's active company has it installed, and still offers to install again", async () => {
      const partner = await published(porter, 'Twice Installed', { category: 'communication' });
      const customer = await install(porter, partner, 'Repeat Retail');
      const { html } = await customer.client.page(`/marketplace/apps/${partner.app.id}`);
      assert.match(html, /Installed in Repeat Retail/);
      assert.match(html, /href="\/installed-apps"/);
      assert.match(html, /<a class="button" href="[^"]+">Install again</);
      const other = await makeCustomer(porter, { company: 'Fresh Retail' });
      const fresh = await other.client.page(`/marketplace/apps/${partner.app.id}`);
      assert.doesNotMatch(fresh.html, /Installed in/);
      assert.match(fresh.html, /You choose the company to install into/);
    });
  });

  describe('unlisted apps', () => {
    it('never appear, but their distribution URL still starts the install flow', async () => {
      const unlisted = await distributedApp(porter, { name: 'Quiet Unlisted Tool' });
      assert.deepEqual((await browse(porter, '?q=quiet')).names, []);
      const signedOut = await fetch(unlisted.distributionUrl, { redirect: 'manual' });
      assert.equal(signedOut.status, 303);
      assert.match(
        signedOut.headers.get('location') ?? '',
        /^\/sign-in\?return_to=%2Fintegrations%2Foauth-install/,
      );
      const customer = await makeCustomer(porter, { company: 'Quiet Buyer' });
      const { location } = await authorizeCode(customer.client, unlisted.distributionUrl);
      assert.ok(location.startsWith(`${REDIRECT.split('?')[0]}`), location);
      assert.match(location, /code=/);
    });
  });

  describe('the JSON API', () => {
    it('lists published apps without a token, with the same search, and documents itself', async () => {
      const res = await fetch(`${porter.url}/v1/marketplace/apps?q=100%25&sort=name`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/);
      const body = await res.json();
      assert.deepEqual(
        body.apps.map((a: { name: string }) => a.name),
        ['Discount Desk'],
      );
      const [app] = body.apps;
      assert.equal(app.marketplace_url, `${porter.url}/marketplace/apps/${app.id}`);
      assert.match(app.icon_url, new RegExp(`^${porter.url}/listing-images/img_`));
      assert.equal(body.total, 1);
      assert.equal(body.page, 1);

      const all = await (
        await fetch(`${porter.url}/v1/marketplace/apps?category=other&page=2&sort=name`)
      ).json();
      assert.deepEqual(
        all.apps.map((a: { name: string }) => a.name),
        ['Bulk 13'],
      );
      assert.equal(all.pages, 2);

      const detail = await (await fetch(`${porter.url}/v1/marketplace/apps/${app.id}`)).json();
      assert.equal(detail.tagline, 'Take 100% control of coupons');
      assert.ok(detail.install_url.startsWith(`${porter.url}/integrations/oauth-install?client_id=`));
      assert.deepEqual(detail.scopes[0], {
        name: 'events:write',
        description: DEFAULT_SCOPES['events:write'],
      });

      const spec = await (await fetch(`${porter.url}/openapi.json`)).json();
      assert.ok(spec.paths['/v1/marketplace/apps'].get);
      assert.ok(spec.paths['/v1/marketplace/apps/{id}'].get);
    });

    it('refuses bad query values with the JSON error shape, and answers 404 for an app not published', async () => {
      for (const query of ['category=weapons', 'page=0', 'sort=price', `q=${'x'.repeat(101)}`]) {
        const res = await fetch(`${porter.url}/v1/marketplace/apps?${query}`);
        assert.equal(res.status, 400, query);
        const body = await res.json();
        assert.equal(body.code, 'invalid_request', query);
      }
      const unlisted = await distributedApp(porter, { name: 'Api Unlisted' });
      for (const id of [unlisted.app.id, 'app_0000000000000000', 'nope']) {
        const res = await fetch(`${porter.url}/v1/marketplace/apps/${id}`);
        assert.equal(res.status, 404, id);
        assert.equal((await res.json()).code, 'not_found');
      }
    });
  });

  describe('the start page and the header', () => {
    it('link to the marketplace, signed in and signed out', async () => {
      const customer = await makeCustomer(porter, { company: 'Link Looker' });
      const { html } = await customer.client.page('/');
      assert.match(html, /<main id="main">[\s\S]*href="\/marketplace"/);
      const signIn = await (await fetch(`${porter.url}/sign-in`)).text();
      assert.match(signIn, /<main id="main">[\s\S]*Browse the marketplace/);
      assert.match(signIn, /<header[\s\S]*href="\/marketplace"[\s\S]*<\/header>/);
    });
  });
});
