import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { callApi } from './helpers/api.js';
import {
  closeInstallStage,
  type InstallStage,
  needsChromium,
  openWatchedPage,
  signInAs,
  startInstallStage,
  submit,
  textOf,
} from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { makePng } from './helpers/images.js';
import { checkAtBothWidths } from './helpers/layout.js';
import { exchangeBody, makeDistributedApp, postToken } from './helpers/oauth.js';
import { makeUser } from './helpers/porter.js';

// The "Done when", walked in real Chromium against a real Porter, each person in their
// own browser context: a developer takes an unlisted app through review (rejected, fixed,
// approved); a signed-out customer finds it on the marketplace, installs it into their company
// and the app's token works; a platform admin suspends the app (the token is refused at once,
// the app leaves the marketplace) and lifts the suspension (the same token works again); a new
// scope goes through review and the installation keeps its grant until the customer re-consents.

const APP = 'Beacon Bookings';
const png = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/png', buffer });
type Watched = Awaited<ReturnType<typeof openWatchedPage>>;
type Partner = Awaited<ReturnType<typeof makeDistributedApp>>;

const checkPage = (page: Page, name: string) => checkAtBothWidths(page, `e2e-${name}`);

const statusOf = (page: Page) => textOf(page.locator('[data-testid=status]').first());

/** Searches the marketplace for the app; the number of cards found. */
async function searchMarketplace(page: Page, q: string) {
  await page.goto('/marketplace');
  await page.getByRole('searchbox', { name: 'Search apps' }).fill(q);
  await submit(page, page.getByRole('button', { name: 'Search' }));
  return page.locator('.app-card').count();
}

/** Step 1: the developer fills the Listing tab with real PNGs, saves and submits it. */
async function submitListing(page: Page, partner: Partner, shot: string) {
  await page.goto(`/developer/apps/${partner.app.id}/listing`);
  assert.match(await statusOf(page), /Unlisted/);
  await page.getByLabel('Tagline').fill('Bookings for your store');
  await page
    .getByLabel('Description')
    .fill('Beacon Bookings lets your customers book appointments.\nEvery booking becomes a Porter event.');
  await page.getByLabel('Category').selectOption('customer-support');
  await page
    .getByLabel('Icon', { exact: true })
    .setInputFiles(png('icon.png', makePng(256, 256, { hue: 60 })));
  await page
    .getByLabel('Add screenshots')
    .setInputFiles([png('calendar.png', makePng(960, 600, { hue: 30 }))]);
  await page.getByLabel('Support email').fill('help@beacon.example');
  await page.getByLabel('Privacy policy URL').fill('https://beacon.example/privacy');
  await submit(page, page.getByRole('button', { name: 'Save listing' }));
  assert.match(await textOf(page.getByRole('status').first()), /Listing saved/);
  assert.equal(await page.locator('ul.shots img').count(), 1);
  await submit(page, page.getByRole('button', { name: 'Submit for review' }));
  assert.match(await statusOf(page), /In review/);
  await checkPage(page, `${shot}-listing-in-review`);
}

/** The admin opens the newest pending review of the app from the queue. */
async function openReview(page: Page) {
  await page.goto('/admin');
  await page
    .getByRole('navigation', { name: 'Admin sections' })
    .getByRole('link', { name: 'Review queue' })
    .click();
  await page.waitForURL('**/admin/reviews');
  await submit(page, page.getByRole('link', { name: APP }).first());
  assert.match(await textOf(page.locator('#preview')), /Send custom events about your customers/);
}

/** Step 2: the admin rejects with a reason. */
async function rejectReview(page: Page, reason: string, shot: string) {
  await openReview(page);
  assert.match(await textOf(page.locator('#preview')), /Bookings for your store/);
  await checkPage(page, `${shot}-admin-review`);
  await page.getByLabel('Reason for rejection').fill(reason);
  await submit(page, page.getByRole('button', { name: 'Reject' }));
  assert.match(await textOf(page.getByRole('status').first()), /was rejected/);
}

/** Step 3: the developer reads the reason, fixes the tagline and resubmits. */
async function fixAndResubmit(page: Page, reason: RegExp, shot: string) {
  await page.reload();
  assert.match(await statusOf(page), /Rejected/);
  assert.match(await textOf(page.locator('#review-rejected')), reason);
  await checkPage(page, `${shot}-listing-rejected`);
  await page.getByLabel('Tagline').fill('Appointments your customers book themselves');
  await submit(page, page.getByRole('button', { name: 'Save listing' }));
  assert.match(await textOf(page.getByRole('status').first()), /Listing saved/);
  await submit(page, page.getByRole('button', { name: 'Submit for review' }));
  assert.match(await statusOf(page), /In review/);
}

/** Step 4: signed out, the customer finds the app by search and by category and opens it. */
async function findOnMarketplace(page: Page, partner: Partner, shot: string) {
  assert.equal(await searchMarketplace(page, 'appointments'), 1);
  assert.equal(await textOf(page.locator('#results-h')), '1 app matching “appointments”');
  await checkPage(page, `${shot}-marketplace-search`);
  await page.goto('/marketplace');
  await page
    .getByRole('navigation', { name: 'Categories' })
    .getByRole('link', { name: /Customer support \(1\)/ })
    .click();
  await page.waitForURL('**/marketplace?category=customer-support');
  await page.getByRole('link', { name: APP }).click();
  await page.waitForURL(`**/marketplace/apps/${partner.app.id}`);
  assert.equal(await textOf(page.getByRole('heading', { level: 1 })), APP);
  assert.match(await textOf(page.locator('.listing-head')), /by Partner Apps/);
  assert.match(await textOf(page.locator('.listing-head .tagline')), /Appointments your customers book/);
  const scopes = await textOf(page.locator('ul.scopes'));
  assert.match(scopes, /Send custom events about your customers/);
  assert.match(scopes, /Add, update and unsubscribe your subscribers/);
  const shotImg = page.getByAltText(`Screenshot 1 of 1 of ${APP}`);
  await shotImg.scrollIntoViewIfNeeded();
  await page.waitForFunction(
    (alt) => (document.querySelector(`img[alt="${alt}"]`) as HTMLImageElement | null)?.complete,
    `Screenshot 1 of 1 of ${APP}`,
  );
  assert.equal(await shotImg.evaluate((img: HTMLImageElement) => img.naturalWidth), 960);
  assert.match(await textOf(page.locator('.listing-head .meta')), /0 installs/);
  await checkPage(page, `${shot}-marketplace-app`);
}

/** Step 4, on: Install, sign in, authorize for the customer's company; the app's callback URL. */
async function installFromMarketplace(
  page: Page,
  customer: { email: string; password: string },
  callbackUrl: string,
) {
  await page.getByRole('link', { name: `Install ${APP}` }).click();
  await page.waitForURL('**/sign-in?**');
  await page.getByLabel('Email', { exact: true }).fill(customer.email);
  await page.getByLabel('Password', { exact: true }).fill(customer.password);
  await submit(page, page.getByRole('button', { name: 'Sign in', exact: true }));
  return authorize(page, callbackUrl);
}

/** On the consent page: Globex Retail is chosen; Authorize; the app's callback URL it lands on. */
async function authorize(page: Page, callbackUrl: string) {
  assert.equal(new URL(page.url()).pathname, '/integrations/oauth-install');
  assert.match(await textOf(page.getByRole('heading', { level: 1 })), new RegExp(`${APP} wants to access`));
  assert.ok(await page.getByRole('radio', { name: /Globex Retail/ }).isChecked());
  await page.getByRole('button', { name: 'Authorize', exact: true }).click();
  await page.waitForURL((url) => url.href.startsWith(callbackUrl));
  return new URL(page.url());
}

/** Step 6: the developer of the published app asks for one more scope, through review. */
async function askForScope(page: Page, partner: Partner) {
  await page.goto(`/developer/apps/${partner.app.id}/listing`);
  await page.getByRole('checkbox', { name: /ecommerce:write/ }).check();
  await submit(page, page.getByRole('button', { name: 'Save listing' }));
  assert.match(await textOf(page.getByRole('status').first()), /Listing saved/);
  await submit(page, page.getByRole('button', { name: 'Submit for review' }));
  assert.match(await statusOf(page), /Published/, 'published while the change is reviewed');
}

/** The scopes the marketplace app page offers, by name. */
async function offeredScopes(page: Page, partner: Partner) {
  await page.goto(`/marketplace/apps/${partner.app.id}`);
  return (await page.locator('ul.scopes code').allTextContents()).sort();
}

/** Step 5: the admin suspends the app from Admin → Apps, with a reason and the confirmation. */
async function suspendApp(page: Page, shot: string) {
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Apps' }).click();
  await page.waitForURL('**/admin/apps');
  await page.getByLabel('Name or client ID').fill('beacon');
  await submit(page, page.getByRole('button', { name: 'Apply' }));
  const row = page.locator('#admin-apps tbody tr');
  assert.equal(await row.count(), 1);
  assert.match(await textOf(row), new RegExp(`^${APP}\\w+ Partner Apps Published 1 `));
  await submit(page, row.getByRole('link', { name: APP }));
  await page.getByLabel('Reason', { exact: true }).fill('Bookings are sent to a third party.');
  await page.getByRole('checkbox', { name: /stop working at once/ }).check();
  await submit(page, page.getByRole('button', { name: 'Suspend app' }));
  assert.match(await textOf(page.getByRole('status').first()), new RegExp(`${APP} is suspended`));
  assert.equal(await textOf(page.locator('h2.app-title [data-testid="status"]')), 'Suspended');
  await checkPage(page, `${shot}-admin-suspended`);
}

forEachDialect('from an unlisted app to the marketplace, an install and a suspension', (dialect) => {
  describe('headless Chromium', needsChromium(), () => {
    let { porter, browser, partnerApp } = {} as InstallStage;
    before(async () => ({ porter, browser, partnerApp } = await startInstallStage(dialect)));
    after(() => closeInstallStage({ porter, browser, partnerApp }));

    it('review (rejected, then approved), the marketplace, an install, suspension and its end, a scope change', async () => {
      const partner = await makeDistributedApp(porter, {
        name: APP,
        redirectUrls: [partnerApp.url],
        scopes: ['events:write', 'subscriptions:write'],
      });
      const admin = await makeUser(porter, { company: 'Porter Staff' });
      await porter.services.accounts.setPlatformAdmin(admin.email, true);
      const customer = await makeUser(porter, { company: 'Globex Retail' });
      const windows: Watched[] = [];
      const open = async () => {
        const w = await openWatchedPage(browser, porter.url);
        windows.push(w);
        return w.page;
      };
      const shot = dialect.name;
      try {
        const [dev, staff, visitor] = [await open(), await open(), await open()];

        // Unlisted: not on the marketplace, but its distribution URL works.
        assert.equal(await searchMarketplace(visitor, APP), 0);
        await visitor.goto(partner.distributionUrl);
        assert.equal(new URL(visitor.url()).pathname, '/sign-in', 'the install flow asks to sign in');

        // 1. The developer submits the listing.
        await signInAs(dev, partner.dev);
        await submitListing(dev, partner, shot);
        assert.equal(await searchMarketplace(visitor, APP), 0, 'in review: not listed');

        // 2. The admin rejects it; the developer reads why; still not on the marketplace.
        const reason = 'The screenshot shows no bookings.\nShow the calendar with real slots.';
        await signInAs(staff, admin);
        await rejectReview(staff, reason, shot);
        await fixAndResubmit(dev, /The screenshot shows no bookings\. Show the calendar/, shot);
        assert.equal(await searchMarketplace(visitor, APP), 0, 'rejected and resubmitted: not listed');

        // 3. The admin approves.
        await openReview(staff);
        assert.match(await textOf(staff.locator('#preview')), /Appointments your customers book themselves/);
        await submit(staff, staff.getByRole('button', { name: 'Approve' }));
        assert.match(await textOf(staff.getByRole('status').first()), /approved and is published/);
        await dev.reload();
        assert.match(await statusOf(dev), /Published/);

        // 4. The customer, signed out, finds the app and installs it into Globex Retail.
        await findOnMarketplace(visitor, partner, shot);
        const callback = await installFromMarketplace(visitor, customer, partnerApp.url);
        // The Install button is the distribution URL: no state of the app's own to return.
        assert.equal(callback.searchParams.get('state'), null);
        assert.equal(callback.searchParams.get('iss'), porter.url);
        const token = await postToken(porter, exchangeBody(partner, callback.searchParams.get('code') ?? ''));
        assert.equal(token.status, 200, JSON.stringify(token.body));
        const accessToken = String(token.body.access_token);
        const me = await callApi(porter, 'GET', '/v1/me', accessToken);
        assert.equal(me.status, 200);
        assert.equal(me.body.company.id, customer.company.id);
        assert.equal(me.body.company.name, 'Globex Retail');

        await visitor.goto(`/marketplace/apps/${partner.app.id}`);
        assert.match(await textOf(visitor.locator('#installed-note')), /Installed in Globex Retail/);
        assert.match(await textOf(visitor.locator('.listing-head .meta')), /\b1 install\b/);
        await checkPage(visitor, `${shot}-marketplace-installed`);

        // 5. Suspended: the token is refused at once and the app leaves the marketplace.
        await suspendApp(staff, shot);
        assert.equal((await callApi(porter, 'GET', '/v1/me', accessToken)).status, 401);
        assert.equal(await searchMarketplace(visitor, 'appointments'), 0);
        // …and it cannot be installed: its distribution URL sends the customer back with an error.
        await visitor.goto(partner.distributionUrl);
        await visitor.waitForURL((url) => url.href.startsWith(partnerApp.url));
        assert.equal(new URL(visitor.url()).searchParams.get('error'), 'unauthorized_client');
        const gone = await visitor.goto(`/marketplace/apps/${partner.app.id}`);
        assert.equal(gone?.status(), 404);

        // Unsuspended: the same token works again and the app is back.
        await submit(staff, staff.getByRole('button', { name: 'Unsuspend' }));
        assert.match(await textOf(staff.getByRole('status').first()), /no longer suspended/);
        assert.equal(await textOf(staff.locator('h2.app-title [data-testid="status"]')), 'Published');
        const again = await callApi(porter, 'GET', '/v1/me', accessToken);
        assert.equal(again.status, 200);
        assert.equal(again.body.company.id, customer.company.id);
        assert.equal(await searchMarketplace(visitor, 'appointments'), 1);
        await visitor.goto(`/marketplace/apps/${partner.app.id}`);
        assert.match(await textOf(visitor.locator('.listing-head .meta')), /\b1 install\b/);

        // 6. A new scope goes through review; the installation keeps its grant until re-consent.
        const before = ['events:write', 'subscriptions:write']; // sorted, as offeredScopes answers
        const after = ['ecommerce:write', ...before];
        await askForScope(dev, partner);
        assert.deepEqual(await offeredScopes(visitor, partner), before, 'not offered before approval');
        await openReview(staff);
        await submit(staff, staff.getByRole('button', { name: 'Approve' }));
        assert.deepEqual(await offeredScopes(visitor, partner), after);
        const kept = (await callApi(porter, 'GET', '/v1/me', accessToken)).body.scopes;
        assert.deepEqual([...kept].sort(), before, 'the installation keeps what it granted');
        await visitor.getByRole('link', { name: `Install again ${APP}` }).click();
        await visitor.waitForURL('**/integrations/oauth-install?**');
        assert.match(await textOf(visitor.locator('main')), /Send ecommerce events/);
        const reconsent = await authorize(visitor, partnerApp.url);
        const code = reconsent.searchParams.get('code') ?? '';
        const renewed = await postToken(porter, exchangeBody(partner, code));
        assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
        const meAfter = await callApi(porter, 'GET', '/v1/me', String(renewed.body.access_token));
        assert.deepEqual([...meAfter.body.scopes].sort(), after);

        for (const w of windows) {
          assert.deepEqual(w.cspErrors, []);
          assert.deepEqual(w.scriptErrors, []);
        }
      } finally {
        for (const w of windows) await w.context.close();
      }
    });
  });
});
