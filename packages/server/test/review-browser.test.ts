import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { assertAccessible } from './helpers/axe.js';
import {
  launchChromium,
  needsChromium,
  openWatchedPage,
  signInAs,
  submit,
  textOf,
} from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { makePng } from './helpers/images.js';
import { checkAtBothWidths } from './helpers/layout.js';
import { makeDistributedApp } from './helpers/oauth.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

// Listing and review as people do it, in headless Chromium: the developer fills the listing
// with real PNG uploads and submits; an admin rejects with a reason; the developer reads it,
// fixes and resubmits; the admin approves. Checked with axe at desktop and phone widths.

const png = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/png', buffer });

const checkLayout = (page: Page, name: string) => checkAtBothWidths(page, `review-${name}`);

forEachDialect('listing and review in a browser', (dialect) => {
  describe('headless Chromium', needsChromium(), () => {
    let porter: TestPorter;
    let browser: Browser;
    before(async () => {
      [porter, browser] = await Promise.all([startPorter(dialect), launchChromium()]);
    });
    after(async () => {
      await browser?.close();
      await porter?.close();
    });

    it('a developer submits a listing, an admin rejects it with a reason, the developer fixes it, the admin approves', async () => {
      const partner = await makeDistributedApp(porter, { name: 'Harbor Sync' });
      const admin = await makeUser(porter, { company: 'Porter Staff' });
      await porter.services.accounts.setPlatformAdmin(admin.email, true);
      const dev = await openWatchedPage(browser, porter.url);
      const staff = await openWatchedPage(browser, porter.url);
      const tab = `/developer/apps/${partner.app.id}/listing`;
      try {
        const page = dev.page;
        await signInAs(page, partner.dev);
        await page.goto(tab);
        assert.equal(await page.getByRole('link', { name: 'Listing' }).getAttribute('aria-current'), 'page');

        // A wrong address and a fake icon are refused next to their fields.
        await page.getByLabel('Tagline').fill('Ship orders from your store, in sync');
        await page
          .getByLabel('Description')
          .fill('Harbor Sync sends your orders to Porter.\nNo setup beyond installing.');
        await page.getByLabel('Category').selectOption('ecommerce');
        await page.getByLabel('Support email').fill('not an address');
        await page.getByLabel('Privacy policy URL').fill('https://harbor.example/privacy');
        await page
          .getByLabel('Icon', { exact: true })
          .setInputFiles(png('icon.png', Buffer.from('text, not a picture')));
        await submit(page, page.getByRole('button', { name: 'Save listing' }));
        assert.equal(await page.getByLabel('Support email').getAttribute('aria-invalid'), 'true');
        assert.match(await textOf(page.locator('#icon-error')), /PNG, JPEG or WebP/);
        assert.match(await textOf(page.getByRole('alert')), /Please correct these 2 fields/);
        await assertAccessible(page, 'listing tab, refused form');

        await page.getByLabel('Support email').fill('help@harbor.example');
        await page.getByLabel('Icon', { exact: true }).setInputFiles(png('icon.png', makePng(256, 256)));
        await page
          .getByLabel('Add screenshots')
          .setInputFiles([
            png('orders.png', makePng(960, 600, { hue: 20 })),
            png('settings.png', makePng(960, 600, { hue: 90 })),
          ]);
        await submit(page, page.getByRole('button', { name: 'Save listing' }));
        assert.match(await textOf(page.getByRole('status').first()), /Listing saved/);
        assert.equal(await page.locator('ul.shots img').count(), 2);
        assert.equal(
          await page.getByAltText('Current icon').evaluate((img: HTMLImageElement) => img.naturalWidth),
          256,
        );
        await submit(page, page.getByRole('button', { name: 'Submit for review' }));
        assert.match(await textOf(page.locator('[data-testid=status]')), /In review/);
        await checkLayout(page, `${dialect.name}-listing-in-review`);

        // The admin finds it in the queue, refuses an empty reason, then rejects with one.
        await signInAs(staff.page, admin);
        await staff.page.goto('/admin/reviews');
        await staff.page.getByRole('link', { name: 'Harbor Sync' }).click();
        await staff.page.waitForLoadState();
        assert.match(await textOf(staff.page.locator('#preview')), /Ship orders from your store, in sync/);
        assert.match(await textOf(staff.page.locator('#preview')), /Send custom events about your customers/);
        await checkLayout(staff.page, `${dialect.name}-admin-review`);
        await submit(staff.page, staff.page.getByRole('button', { name: 'Reject' }));
        assert.equal(
          await staff.page.getByLabel('Reason for rejection').getAttribute('aria-invalid'),
          'true',
        );
        await staff.page
          .getByLabel('Reason for rejection')
          .fill('The screenshots are blank gradients.\nShow the real product, please.');
        await submit(staff.page, staff.page.getByRole('button', { name: 'Reject' }));
        assert.match(await textOf(staff.page.getByRole('status').first()), /was rejected/);

        // The developer reads the reason, fixes the listing and submits again.
        await page.reload();
        assert.match(
          await textOf(page.locator('#review-rejected')),
          /The screenshots are blank gradients\. Show the real product/,
        );
        assert.match(await textOf(page.locator('[data-testid=status]')), /Rejected/);
        await checkLayout(page, `${dialect.name}-listing-rejected`);
        await page.getByRole('checkbox', { name: 'Remove screenshot 1' }).check();
        await page
          .getByLabel('Add screenshots')
          .setInputFiles([png('real.png', makePng(1200, 750, { hue: 40 }))]);
        await submit(page, page.getByRole('button', { name: 'Save listing' }));
        assert.equal(await page.locator('ul.shots img').count(), 2);
        await submit(page, page.getByRole('button', { name: 'Submit for review' }));
        assert.match(await textOf(page.locator('[data-testid=status]')), /In review/);

        await staff.page.goto('/admin/reviews');
        await staff.page.getByRole('link', { name: 'Harbor Sync' }).first().click();
        await staff.page.waitForLoadState();
        await submit(staff.page, staff.page.getByRole('button', { name: 'Approve' }));
        assert.match(await textOf(staff.page.getByRole('status').first()), /approved and is published/);
        await checkLayout(staff.page, `${dialect.name}-admin-queue`);

        await page.reload();
        assert.match(await textOf(page.locator('[data-testid=status]')), /Published/);
        assert.match(await textOf(page.locator('#listing-history')), /Approved.*Rejected/);
        // Published: the next change may ask for other scopes, through review.
        assert.equal(await page.getByRole('checkbox', { name: /events:write/ }).isChecked(), true);
        await checkLayout(page, `${dialect.name}-listing-published`);
        for (const w of [dev, staff]) {
          assert.deepEqual(w.cspErrors, []);
          assert.deepEqual(w.scriptErrors, []);
        }
      } finally {
        await dev.context.close();
        await staff.context.close();
      }
    });
  });
});
