import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
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
import { horizontalOverflow, screenshot } from './helpers/layout.js';
import { makeDistributedApp } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

// The Credentials tab as a developer rotates the client secret in headless Chromium: the
// overlap window chosen in the form, until when the old secret works, ending it; axe at desktop
// and phone widths.

forEachDialect('the client secret overlap in a browser', (dialect) => {
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

    it('regenerates keeping the old secret for an hour, shows until when, and ends it', async () => {
      const partner = await makeDistributedApp(porter, { name: 'Rotate Shop' });
      const { context, page, cspErrors, scriptErrors } = await openWatchedPage(browser, porter.url);
      try {
        await signInAs(page, partner.dev);
        const tab = `/developer/apps/${partner.app.id}/credentials`;
        await page.goto(tab);
        assert.match(await textOf(page.locator('#client-secret-last-used')), /Never used/);

        await page.getByLabel('Keep the old secret working').selectOption('60');
        await page.getByLabel(/I understand the current client secret stops working/).check();
        await submit(page, page.getByRole('button', { name: 'Regenerate Client Secret' }));
        assert.equal(new URL(page.url()).pathname, tab);
        assert.match(await textOf(page.locator('#client-secret-value')), /^porter_cs_/);
        assert.match(
          await textOf(page.locator('#previous-secret-until')),
          /The previous secret works until \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Never used\./,
        );
        await assertAccessible(page, 'credentials tab with an overlap window at 1280 px');
        await screenshot(page, `${dialect.name}-credentials-overlap-1280`);
        await page.setViewportSize({ width: 375, height: 740 });
        await assertAccessible(page, 'credentials tab with an overlap window at 375 px');
        await screenshot(page, `${dialect.name}-credentials-overlap-375`);
        const { scrollWidth, offenders } = await horizontalOverflow(page);
        assert.ok(
          scrollWidth <= 375,
          `at 375 px the page is ${scrollWidth} px wide: ${offenders.join(', ')}`,
        );

        await submit(page, page.getByRole('button', { name: 'End the previous secret now' }));
        assert.match(
          await textOf(page.getByRole('status').first()),
          /previous client secret no longer works/,
        );
        assert.equal(await page.locator('#previous-secret-until').count(), 0);
        assert.deepEqual(cspErrors, []);
        assert.deepEqual(scriptErrors, []);
      } finally {
        await context.close();
      }
    });
  });
});
