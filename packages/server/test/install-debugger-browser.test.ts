import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { callApi } from './helpers/api.js';
import { assertAccessible } from './helpers/axe.js';
import { launchChromium, needsChromium, openWatchedPage, textOf } from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { produceFailures } from './helpers/install-failures.js';
import { horizontalOverflow, screenshot } from './helpers/layout.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

// The install debugger and the activity charts as a developer sees them in Chromium: every
// failure the debugger promises, produced over HTTP, found explained on the app's tab; both
// tabs pass axe-core and fit a 375px phone.

/** axe-core and a screenshot at 1280px and at 375px, and no sideways scrolling on the phone. */
async function checkAtBothWidths(page: Page, name: string) {
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    await screenshot(page, `${name}-${width}`);
    await assertAccessible(page, `${name} at ${width}px`);
  }
  const { scrollWidth, offenders } = await horizontalOverflow(page);
  assert.ok(scrollWidth <= 375, `${name} is ${scrollWidth}px wide at 375px: ${offenders.join(', ')}`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

forEachDialect('install debugger in a browser', (dialect) => {
  describe('headless Chromium', needsChromium(), () => {
    let porter: TestPorter;
    let browser: Browser;
    let produced: Awaited<ReturnType<typeof produceFailures>>;
    let page: Page;
    let cspErrors: string[];

    before(async () => {
      [porter, browser] = await Promise.all([startPorter(dialect), launchChromium()]);
      produced = await produceFailures(porter);
      ({ page, cspErrors } = await openWatchedPage(browser, porter.url));
      await page.goto('/sign-in');
      await page.getByLabel('Email', { exact: true }).fill(produced.partner.dev.email);
      await page.getByLabel('Password', { exact: true }).fill(produced.partner.dev.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/');
    });
    after(async () => {
      await browser?.close();
      await porter?.close();
    });

    it('explains each failed request on the Install debugger tab', async () => {
      await page.goto(`/developer/apps/${produced.partner.app.id}`);
      await page.getByRole('link', { name: 'Install debugger' }).click();
      await page.waitForURL((url) => url.pathname.endsWith('/debugger'));
      const rows = page.locator('table.failures tbody tr');
      assert.equal(await rows.count(), produced.expected.length);
      const texts = await Promise.all((await rows.all()).map((row) => textOf(row)));
      for (const want of produced.expected) {
        const row = texts.find((t) => want.message.test(t));
        assert.ok(row, `${want.kind} is explained on the page`);
        assert.ok(row.includes(want.endpoint) && row.includes(want.error), `${want.kind}: ${row}`);
      }
      const content = (await page.content()) + texts.join('\n');
      for (const secret of produced.sent)
        assert.ok(!content.includes(secret), 'no secret or code on the page');
      await checkAtBothWidths(page, `${dialect.name}-install-debugger`);
      assert.deepEqual(cspErrors, []);
    });

    it('draws the activity charts with their tables', async () => {
      const key = produced.partner.apiKey;
      for (let i = 0; i < 3; i++) assert.equal((await callApi(porter, 'GET', '/v1/me', key)).status, 200);
      assert.equal((await callApi(porter, 'POST', '/v1/events/custom', key, {})).status, 400);
      await porter.services.usage.flush();
      await page.getByRole('link', { name: 'Activity' }).click();
      await page.waitForURL((url) => url.pathname.endsWith('/activity'));
      const chart = page.getByRole('img', { name: 'Installs and uninstalls per day' });
      assert.equal(await chart.count(), 1);
      assert.equal(await page.getByRole('img', { name: 'API calls per day by status' }).count(), 1);
      // The partner's app was installed once (the customer's successful exchange).
      const legend = await textOf(page.locator('#installs-chart ul.legend'));
      assert.match(legend, /Installs: 1\s*Uninstalls: 0/);
      await page.locator('#installs-chart summary').click();
      const today = new Date().toISOString().slice(0, 10);
      const cells = page.locator('#installs-chart tr', { hasText: today }).locator('th, td');
      assert.deepEqual(await cells.allTextContents(), [today, '1', '0']);
      const calls = await textOf(page.locator('#calls-chart ul.legend'));
      assert.match(calls, /Succeeded \(2xx\): 3\s*Client errors \(4xx\): 1\s*Server errors \(5xx\): 0/);
      await checkAtBothWidths(page, `${dialect.name}-activity-charts`);
      assert.deepEqual(cspErrors, []);
    });
  });
});
