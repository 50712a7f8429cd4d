import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { callApi } from './helpers/api.js';
import {
  closeInstallStage,
  type InstallStage,
  needsChromium,
  openWatchedPage,
  startInstallStage,
  submit,
  textOf,
} from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { checkAtBothWidths, SHOTS_DIR } from './helpers/layout.js';
import { publishForTest } from './helpers/marketplace.js';
import { exchangeBody, makeDistributedApp, postToken } from './helpers/oauth.js';
import { makeUser, type TestPorter } from './helpers/porter.js';

// The marketplace as a signed-out visitor uses it in Chromium: find an app by search and by
// category, open it, press Install, sign in as a customer admin, authorize for their company and
// land on the app's callback. Each page is checked with axe and for sideways scrolling at
// desktop and phone widths, and photographed under /tmp/shots/market/.

const _shots = join(SHOTS_DIR, 'market');

/** Serves listing images from the database inside the browser only: the real route belongs to the review part. */
async function serveListingImages(page: Page, porter: TestPorter) {
  await page.route('**/listing-images/*', async (route) => {
    const id = decodeURIComponent(new URL(route.request().url()).pathname.split('/').pop() ?? '');
    const image = await porter.db
      .selectFrom('listing_images')
      .select(['bytes', 'content_type'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!image) return route.fulfill({ status: 404 });
    return route.fulfill({ status: 200, contentType: image.content_type, body: Buffer.from(image.bytes) });
  });
}

const checkWidths = (page: Page, name: string) => checkAtBothWidths(page, `market-${name}`);

forEachDialect('the marketplace in a browser', (dialect) => {
  describe('headless Chromium', needsChromium(), () => {
    let { porter, browser, partnerApp } = {} as InstallStage;
    before(async () => ({ porter, browser, partnerApp } = await startInstallStage(dialect)));
    after(() => closeInstallStage({ porter, browser, partnerApp }));

    it('a visitor finds an app by search and category, installs it after signing in, and returns to the app', async () => {
      const partner = await makeDistributedApp(porter, {
        name: 'Harbor Analytics',
        redirectUrls: [partnerApp.url],
        scopes: ['events:write', 'ecommerce:write'],
      });
      await publishForTest(porter, partner.app, {
        category: 'analytics',
        tagline: 'See which campaigns bring your best customers back',
        description:
          'Harbor Analytics turns your events into reports.\n\nCohorts, funnels and retention, updated every hour.\nNo setup beyond the install.',
        screenshots: 3,
        supportEmail: 'support@harbor-analytics.example',
        privacyUrl: 'https://harbor-analytics.example/privacy-policy-for-customers',
      });
      for (const [name, category] of [
        ['Tidewater Mail', 'marketing'],
        ['Lighthouse Desk', 'customer-support'],
        ['Anchor Books', 'finance'],
      ] as const) {
        const other = await makeDistributedApp(porter, { name });
        await publishForTest(porter, other.app, { category });
      }
      const customer = await makeUser(porter, { company: 'Globex Retail' });
      const { context, page, cspErrors, scriptErrors } = await openWatchedPage(browser, porter.url);
      try {
        await serveListingImages(page, porter);
        // Signed out, from the header.
        await page.goto('/sign-in');
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Marketplace' })
          .click();
        await page.waitForURL('**/marketplace');
        assert.equal(await page.locator('.app-card').count(), 4);
        await checkWidths(page, 'marketplace');

        await page.getByRole('searchbox', { name: 'Search apps' }).fill('campaigns');
        await submit(page, page.getByRole('button', { name: 'Search' }));
        assert.equal(await textOf(page.locator('#results-h')), '1 app matching “campaigns”');
        assert.equal(await page.locator('.app-card').count(), 1);

        await page.getByRole('searchbox', { name: 'Search apps' }).fill('zeppelin');
        await submit(page, page.getByRole('button', { name: 'Search' }));
        assert.match(await textOf(page.locator('.empty')), /No apps match “zeppelin”/);
        await checkWidths(page, 'marketplace-empty');

        await page.goto('/marketplace');
        await page
          .getByRole('navigation', { name: 'Categories' })
          .getByRole('link', { name: /Analytics and reporting \(1\)/ })
          .click();
        await page.waitForURL('**/marketplace?category=analytics');
        assert.equal(await textOf(page.locator('#results-h')), '1 app in Analytics and reporting');
        await checkWidths(page, 'marketplace-category');

        await page.getByRole('link', { name: 'Harbor Analytics' }).click();
        await page.waitForURL(`**/marketplace/apps/${partner.app.id}`);
        assert.equal(await textOf(page.getByRole('heading', { level: 1 })), 'Harbor Analytics');
        assert.match(await textOf(page.locator('ul.scopes')), /Send ecommerce events such as product views/);
        assert.equal(await page.locator('ul.gallery img').count(), 3);
        const loaded = await page
          .locator('ul.gallery img')
          .evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0));
        assert.ok(loaded, 'the screenshots load');
        await checkWidths(page, 'listing-signed-out');

        // Install: sign in, then the consent page for the customer's company.
        await page.getByRole('link', { name: 'Install Harbor Analytics' }).click();
        await page.waitForURL('**/sign-in?**');
        await page.getByLabel('Email', { exact: true }).fill(customer.email);
        await page.getByLabel('Password', { exact: true }).fill(customer.password);
        await submit(page, page.getByRole('button', { name: 'Sign in', exact: true }));
        assert.equal(new URL(page.url()).pathname, '/integrations/oauth-install');
        assert.match(
          await textOf(page.getByRole('heading', { level: 1 })),
          /Harbor Analytics wants to access your company/,
        );
        assert.ok(await page.getByRole('radio', { name: /Globex Retail/ }).isChecked());
        const before = partnerApp.received.length;
        await page.getByRole('button', { name: 'Authorize', exact: true }).click();
        await page.waitForURL((url) => url.href.startsWith(partnerApp.url));
        assert.equal(partnerApp.received.length, before + 1, 'the app received the code');
        const code = partnerApp.received.at(-1)?.searchParams.get('code') ?? '';
        const token = await postToken(porter, exchangeBody(partner, code));
        assert.equal(token.status, 200);
        const me = await callApi(porter, 'GET', '/v1/me', token.body.access_token);
        assert.equal(me.body.company.id, customer.company.id);

        // Back on the marketplace, signed in: installed, counted, and offered again.
        await page.goto(`/marketplace/apps/${partner.app.id}`);
        assert.match(await textOf(page.locator('#installed-note')), /Installed in Globex Retail/);
        assert.match(await textOf(page.locator('.listing-head .meta')), /1 install/);
        await checkWidths(page, 'listing-installed');
        assert.deepEqual(cspErrors, []);
        assert.deepEqual(scriptErrors, []);
      } finally {
        await context.close();
      }
    });
  });
});
