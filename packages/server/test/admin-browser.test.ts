import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { callApi } from './helpers/api.js';
import {
  launchChromium,
  needsChromium,
  openWatchedPage,
  signInAs,
  submit,
  textOf,
} from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { checkAtBothWidths, SHOTS_DIR } from './helpers/layout.js';
import { makeAppCredentials } from './helpers/oauth.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

// The admin area as a platform admin uses it, in headless Chromium: find an app, suspend it with
// a reason, see what its developer sees, lift the suspension, read the audit log filtered;
// every page checked with axe at 1280 and 375 px, with screenshots to look at.

const _SHOTS = join(SHOTS_DIR, 'admin');

const checkPage = (page: Page, name: string) => checkAtBothWidths(page, `admin-${name}`);

forEachDialect('the admin area in a browser', (dialect) => {
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

    it('finds an app, suspends it with a reason the developer reads, lifts it, and filters the audit log', async () => {
      const creds = await makeAppCredentials(porter, ['events:write', 'subscriptions:write'], 'Acme Spammer');
      const { partner } = creds;
      const ops = await makeUser(porter, { company: 'Porter Ops' });
      await porter.services.accounts.setPlatformAdmin(ops.email, true);
      const admin = await openWatchedPage(browser, porter.url);
      const dev = await openWatchedPage(browser, porter.url);
      const shot = (name: string) => `${dialect.name}-${name}`;
      try {
        const { page } = admin;
        await signInAs(page, ops);
        // (/admin itself opens the review queue, another part of the admin area.)
        const adminLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' });
        assert.equal(await adminLink.getAttribute('href'), '/admin');
        await page.goto('/admin/apps');

        // Search by name and filter by status: the app, its developer and its one install.
        await page.getByLabel('Name or client ID').fill('spammer');
        await page.getByLabel('Status', { exact: true }).selectOption('unlisted');
        await submit(page, page.getByRole('button', { name: 'Apply' }));
        assert.match(page.url(), /status=unlisted&q=spammer/);
        const rows = page.locator('#admin-apps tbody tr');
        assert.equal(await rows.count(), 1);
        assert.match(await textOf(rows.first()), /^Acme Spammer\w+ Partner Apps Unlisted 1 /);
        if (dialect.name === 'sqlite') await checkPage(page, shot('apps'));

        await submit(page, rows.first().getByRole('link', { name: 'Acme Spammer' }));
        // Suspending asks for a reason and a confirmation; a blank reason is refused at its field.
        await page.getByLabel('Reason', { exact: true }).fill(' ');
        await page.getByRole('checkbox', { name: /stop working at once/ }).check();
        await submit(page, page.getByRole('button', { name: 'Suspend app' }));
        assert.equal(await page.getByLabel('Reason', { exact: true }).getAttribute('aria-invalid'), 'true');
        assert.match(await textOf(page.getByRole('alert')), /Reason: is required/);
        if (dialect.name === 'sqlite') await checkPage(page, shot('suspend-refused'));

        const reason = 'Sends unsolicited messages to subscribers.';
        await page.getByLabel('Reason', { exact: true }).fill(reason);
        await page.getByRole('checkbox', { name: /stop working at once/ }).check();
        await submit(page, page.getByRole('button', { name: 'Suspend app' }));
        assert.match(await textOf(page.getByRole('status').first()), /Acme Spammer is suspended/);
        assert.equal(await textOf(page.locator('h2.app-title [data-testid="status"]')), 'Suspended');
        assert.match(await textOf(page.locator('#suspension-reason')), new RegExp(reason));
        assert.equal((await callApi(porter, 'GET', '/v1/me', creds.access_token.token)).status, 401);
        if (dialect.name === 'sqlite') await checkPage(page, shot('app-suspended'));

        // The developer reads why, and since when.
        await signInAs(dev.page, partner.dev);
        await dev.page.goto(`/developer/apps/${partner.app.id}`);
        const banner = dev.page.locator('#suspension');
        assert.match(await textOf(banner), new RegExp(`Suspended by the platform's admins: ${reason}`));
        assert.match(await textOf(banner), /Since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
        if (dialect.name === 'sqlite') await checkPage(dev.page, shot('developer-banner'));

        await submit(page, page.getByRole('button', { name: 'Unsuspend' }));
        assert.match(await textOf(page.getByRole('status').first()), /no longer suspended/);
        assert.equal(await textOf(page.locator('h2.app-title [data-testid="status"]')), 'Unlisted');
        assert.equal((await callApi(porter, 'GET', '/v1/me', creds.access_token.token)).status, 200);
        await dev.page.reload();
        assert.equal(await dev.page.locator('#suspension').count(), 0);

        // The app's audit trail, from its page, then narrowed to suspensions by this admin.
        await submit(page, page.getByRole('link', { name: 'Every audit event of this app' }));
        await page.getByLabel('Action', { exact: true }).fill('app.');
        await page.getByLabel('Actor', { exact: true }).fill(ops.email);
        await submit(page, page.getByRole('button', { name: 'Apply' }));
        const events = page.locator('#admin-audit tbody tr');
        assert.deepEqual(
          (await events.locator('td[data-label="Action"]').allTextContents()).map((t) => t.trim()),
          ['app.unsuspended', 'app.suspended'],
        );
        assert.match(await textOf(events.last()), new RegExp(reason));
        if (dialect.name === 'sqlite') await checkPage(page, shot('audit-filtered'));

        // A bad filter value is shown at its field.
        await page.getByLabel('From', { exact: true }).fill('2026-02-30x');
        await submit(page, page.getByRole('button', { name: 'Apply' }));
        assert.equal(await page.getByLabel('From', { exact: true }).getAttribute('aria-invalid'), 'true');
        assert.match(await textOf(page.locator('#from-error')), /date/);
        if (dialect.name === 'sqlite') await checkPage(page, shot('audit-refused'));

        await page
          .getByRole('navigation', { name: 'Admin sections' })
          .getByRole('link', { name: 'Companies' })
          .click();
        await page.getByLabel('Name', { exact: true }).fill('Acme Spammer Customer');
        await submit(page, page.getByRole('button', { name: 'Apply' }));
        await submit(page, page.getByRole('link', { name: 'Acme Spammer Customer' }));
        assert.match(await textOf(page.locator('#installed')), /Acme Spammer/);
        if (dialect.name === 'sqlite') await checkPage(page, shot('company'));

        for (const p of [admin, dev]) {
          assert.deepEqual(p.cspErrors, []);
          assert.deepEqual(p.scriptErrors, []);
        }
      } finally {
        await admin.context.close();
        await dev.context.close();
      }
    });
  });
});
