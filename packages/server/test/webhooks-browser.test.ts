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
import { authorizeCode, exchangeBody, makeCustomer, makeDistributedApp, postToken } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';
import { type Receiver, startReceiver, verifySignature } from './helpers/webhook-receiver.js';

// The Webhooks tab as a developer uses it, in headless Chromium: set the URL, reveal and rotate
// the secret, send a test event, redeliver; checked with axe at desktop and phone widths.

forEachDialect('the Webhooks tab in a browser', (dialect) => {
  describe('headless Chromium', needsChromium(), () => {
    let porter: TestPorter;
    let browser: Browser;
    let receiver: Receiver;
    before(async () => {
      [porter, browser, receiver] = await Promise.all([
        startPorter(dialect, { PORTER_WEBHOOKS_ALLOW_PRIVATE: '1', PORTER_WEBHOOKS_POLL_MS: '100' }),
        launchChromium(),
        startReceiver((r) => ({ status: r.path === '/down' ? 503 : 200 })),
      ]);
    });
    after(async () => {
      await browser?.close();
      await porter?.close();
      await receiver?.close();
    });

    it('sets the URL, reveals and rotates the secret, sends a test event and redelivers', async () => {
      const partner = await makeDistributedApp(porter, { name: 'Hook Shop' });
      const { context, page, cspErrors, scriptErrors } = await openWatchedPage(browser, porter.url);
      try {
        await signInAs(page, partner.dev);
        const tab = `/developer/apps/${partner.app.id}/webhooks`;
        await page.goto(tab);

        // A URL Porter refuses is shown next to its field and in the summary.
        const url = page.getByRole('textbox', { name: 'Webhook URL' });
        await url.fill('ftp://example.com/hook');
        await submit(page, page.getByRole('button', { name: 'Save webhook URL' }));
        assert.equal(await url.getAttribute('aria-invalid'), 'true');
        assert.match(await textOf(page.locator('#webhook_url-error')), /http/);
        await assertAccessible(page, 'webhooks tab, refused URL');

        await url.fill(receiver.url('/hook'));
        await submit(page, page.getByRole('button', { name: 'Save webhook URL' }));
        assert.equal(new URL(page.url()).pathname, tab);
        assert.match(await textOf(page.getByRole('status').first()), /Webhook URL saved/);

        await submit(page, page.getByRole('button', { name: 'Reveal signing secret' }));
        const secret = await textOf(page.locator('#webhook-secret-value'));
        assert.match(secret, /^porter_ws_/);

        // A customer installs: the delivery is listed, and verifies with the revealed secret.
        const customer = await makeCustomer(porter);
        const { code } = await authorizeCode(customer.client, partner.distributionUrl);
        assert.equal((await postToken(porter, exchangeBody(partner, code))).status, 200);
        const [installed] = await receiver.waitFor('/hook', 1);
        assert.ok(installed);
        verifySignature(installed, secret);

        await page.getByRole('checkbox', { name: /a new secret signs from now on/ }).check();
        await submit(page, page.getByRole('button', { name: 'Rotate signing secret' }));
        const rotated = await textOf(page.locator('#webhook-secret-value'));
        assert.notEqual(rotated, secret);
        assert.match(await textOf(page.locator('#webhook-secret-form')), /previous secret also signs/);

        await submit(page, page.getByRole('button', { name: 'Send test event' }));
        const [, test] = await receiver.waitFor('/hook', 2);
        assert.equal(test?.event.type, 'test');
        assert.equal(verifySignature(test ?? installed, rotated), 2);

        await page.reload();
        const rows = page.locator('#webhook-deliveries tbody tr');
        assert.equal(await rows.count(), 2);
        assert.match(await textOf(rows.last()), /app\.installed #1 Delivered 200 1/);
        await submit(page, rows.last().getByRole('button', { name: /Redeliver app\.installed/ }));
        assert.match(await textOf(page.getByRole('status').first()), /Redelivery queued/);
        const [, , again] = await receiver.waitFor('/hook', 3);
        assert.equal(again?.event.id, installed.event.id);

        await page.reload();
        // Each attempt is listed under the delivery's attempt count.
        const log = page.locator('#webhook-deliveries tbody tr').last().locator('details');
        await log.locator('summary').click();
        assert.match(await textOf(log.locator('ol.attempts')), /: 200, \d+ ms.*: 200, \d+ ms/);
        await assertAccessible(page, 'webhooks tab at 1280 px');
        await screenshot(page, `${dialect.name}-webhooks-1280`);
        await page.setViewportSize({ width: 375, height: 740 });
        await assertAccessible(page, 'webhooks tab at 375 px');
        await screenshot(page, `${dialect.name}-webhooks-375`);
        // The tab bar scrolls inside itself; the page does not.
        const { scrollWidth, offenders } = await horizontalOverflow(page);
        assert.ok(
          scrollWidth <= 375,
          `at 375 px the page is ${scrollWidth} px wide: ${offenders.join(', ')}`,
        );
        assert.deepEqual(cspErrors, []);
        assert.deepEqual(scriptErrors, []);
      } finally {
        await context.close();
      }
    });
  });
});
