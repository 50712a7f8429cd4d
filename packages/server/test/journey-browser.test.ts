import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startExampleApp } from '../../../examples/partner-app/src/app.js';
import { DEFAULT_SCOPES } from '../src/apps/scopes.js';
import { assertAccessible } from './helpers/axe.js';
import { launchChromium, needsChromium, openWatchedPage, submit, textOf } from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { horizontalOverflow, SHOTS_DIR } from './helpers/layout.js';
import { freePort, makeUser, startPorter, type TestPorter } from './helpers/porter.js';

// The whole journey of issue 15 in Chromium, as the two people live it: a developer builds an
// app in the portal and starts the example partner app with its credentials; a customer admin
// installs it from the example app, declines, uninstalls; the developer reads the install
// debugger and the charts, and installs into a test company. Every page is axe-checked at 1280
// and 375 px, and the SQLite run keeps a screenshot of each.
// Each run's pictures differ (names, times), so the README's copies in docs/screenshots are
// refreshed only on request: UPDATE_SCREENSHOTS=1 npm test -- journey.
const SHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(import.meta.dirname, '../../../docs/screenshots')
  : join(SHOTS_DIR, 'journey');
const APP_NAME = 'Journey Sync';
const SCOPES = ['events:write', 'subscriptions:write'];

forEachDialect('the developer and customer journey', (dialect) => {
  describe('in Chromium, with the example partner app', needsChromium(), () => {
    let porter: TestPorter;
    let browser: Browser;
    let example: { url: string; close(): Promise<void> } | undefined;
    const dir = mkdtempSync(join(tmpdir(), 'porter-journey-'));
    const contexts: BrowserContext[] = [];
    const cspErrors: string[] = [];
    let dev: Awaited<ReturnType<typeof makeUser>>;
    let customer: Awaited<ReturnType<typeof makeUser>>;
    let devPage: Page;
    let customerPage: Page;
    let appPath = '';
    let clientId = '';
    let clientSecret = '';
    let exampleUrl = '';

    /** A signed-out browser of its own, its CSP errors collected for the last check. */
    async function person(): Promise<Page> {
      const watched = await openWatchedPage(browser, porter.url);
      contexts.push(watched.context);
      watched.page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
      });
      return watched.page;
    }

    /** Checks the page as a person would use it (axe, no sideways scroll on a phone), and keeps a picture. */
    async function look(page: Page, name: string) {
      await assertAccessible(page, `${name} at 1280 px`);
      if (dialect.name === 'sqlite')
        await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      await page.setViewportSize({ width: 375, height: 740 });
      try {
        await assertAccessible(page, `${name} at 375 px`);
        const { scrollWidth, offenders } = await horizontalOverflow(page);
        assert.ok(scrollWidth <= 375, `${name} at 375 px is ${scrollWidth}px wide: ${offenders.join(', ')}`);
        if (dialect.name === 'sqlite')
          await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
      } finally {
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    }

    async function signIn(page: Page, who: { email: string; password: string }) {
      assert.equal(new URL(page.url()).pathname, '/sign-in', 'Porter asks to sign in first');
      await page.getByLabel('Email', { exact: true }).fill(who.email);
      await page.getByLabel('Password', { exact: true }).fill(who.password);
      await submit(page, page.getByRole('button', { name: 'Sign in', exact: true }));
    }

    /** The API calls of today on the app's Activity tab, by status class. */
    async function callsToday(): Promise<number[]> {
      await porter.services.usage.flush();
      await devPage.goto(`${appPath}/activity`);
      await devPage.locator('#calls-chart summary').click();
      const today = new Date().toISOString().slice(0, 10);
      const cells = await devPage
        .locator('#calls-chart tr', { hasText: today })
        .locator('td')
        .allTextContents();
      return cells.map(Number);
    }

    before(async () => {
      if (dialect.name === 'sqlite') mkdirSync(SHOTS, { recursive: true });
      [porter, browser] = await Promise.all([startPorter(dialect), launchChromium()]);
      dev = await makeUser(porter, { company: 'Acme Apps' });
      customer = await makeUser(porter, { company: 'Globex Retail' });
      devPage = await person();
      customerPage = await person();
      exampleUrl = `http://127.0.0.1:${await freePort()}`;
    });
    after(async () => {
      await example?.close();
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await porter?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('1. a developer creates an app, enables distribution with the example app’s callback and copies the credentials', async () => {
      await devPage.goto('/developer');
      await signIn(devPage, dev);
      assert.equal(await textOf(devPage.locator('h1')), 'Developer portal · Acme Apps');
      await devPage.getByRole('link', { name: 'Create app', exact: true }).click();
      await devPage.getByLabel('App name', { exact: true }).fill(APP_NAME);
      for (const scope of SCOPES) await devPage.getByRole('checkbox', { name: new RegExp(scope) }).check();
      await submit(devPage, devPage.getByRole('button', { name: 'Create app', exact: true }));
      appPath = /^\/developer\/apps\/app_[a-z0-9]+$/.exec(new URL(devPage.url()).pathname)?.[0] ?? '';
      assert.ok(appPath, `the new app's page: ${devPage.url()}`);
      assert.match(await textOf(devPage.locator('h1')), new RegExp(APP_NAME));
      await look(devPage, 'portal-app');

      await devPage.goto(`${appPath}/distribution`);
      const distribution = devPage.locator('#distribution-form');
      await distribution
        .getByLabel('Redirect URLs')
        .fill(`${exampleUrl}/oauth/callback\nmyapp://oauth/callback`);
      await submit(devPage, distribution.getByRole('button', { name: 'Generate Credentials' }));
      clientSecret = await textOf(devPage.locator('#client-secret-value'));
      clientId = await textOf(distribution.locator('#client-id'));
      assert.match(clientSecret, /^porter_cs_/, 'the secret is shown once, to copy');
      assert.match(clientId, /^[a-z0-9]{16,}$/);
      assert.equal(await textOf(devPage.locator('h1').getByTestId('status')), 'Unlisted');
      await look(devPage, 'portal-distribution');
    });

    it('2. the example app starts with those credentials and offers to install', async () => {
      example = await startExampleApp({
        porterUrl: porter.url,
        clientId,
        clientSecret,
        publicUrl: exampleUrl,
        port: Number(new URL(exampleUrl).port),
        dbPath: join(dir, 'partner.db'),
        appName: APP_NAME,
      });
      await customerPage.goto(exampleUrl);
      assert.equal(await textOf(customerPage.locator('h1')), `Connect ${APP_NAME} to Porter`);
      await look(customerPage, 'example-home');
    });

    it('3. a customer admin installs it: sign-in, every scope in plain words, Authorize, the app’s dashboard', async () => {
      await customerPage.getByRole('button', { name: 'Install in Porter' }).click();
      await customerPage.waitForURL((url) => url.pathname === '/sign-in');
      await look(customerPage, 'sign-in');
      await signIn(customerPage, customer);
      await customerPage.getByRole('button', { name: 'Authorize', exact: true }).waitFor();
      const page = await customerPage.content();
      assert.match(page, new RegExp(APP_NAME));
      assert.match(page, /Globex Retail/, 'the company it is installed into is named');
      const listed = await customerPage.locator('ul.scopes li').allTextContents();
      assert.deepEqual(
        listed.map((l) => l.replace(/\s+/g, ' ').trim()).sort(),
        SCOPES.map((s) => `${DEFAULT_SCOPES[s]} ${s}`).sort(),
        'every scope, in plain words',
      );
      await look(customerPage, 'consent');
      await customerPage.getByRole('button', { name: 'Authorize', exact: true }).click();
      await customerPage.waitForURL((url) => url.href.startsWith(`${exampleUrl}/dashboard`));
      assert.equal(await textOf(customerPage.locator('h1')), 'Globex Retail');
      assert.match(await textOf(customerPage.locator('dl')), /events:write, subscriptions:write/);
      await look(customerPage, 'example-dashboard');
    });

    it('4. “Sync data” sends an event that shows in the app’s API-call chart', async () => {
      const before = await callsToday();
      await submit(customerPage, customerPage.getByRole('button', { name: 'Sync data' }));
      assert.match(await textOf(customerPage.getByRole('status')), /^Synced: Porter recorded event evt_/);
      // Post/Redirect/Get: a reload sends nothing again.
      await customerPage.reload();
      const after = await callsToday();
      assert.ok((after[0] ?? 0) > (before[0] ?? 0), `2xx calls grew: ${before} → ${after}`);
      assert.deepEqual(after.slice(1), before.slice(1), 'no failed calls');
      await look(devPage, 'portal-activity');
    });

    it('5. a wrong redirect_uri gets an error page, and the install debugger explains it', async () => {
      const wrong = `${exampleUrl}/oauth/callbak`;
      const url = new URL('/integrations/oauth-install', porter.url);
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('redirect_uri', wrong);
      url.searchParams.set('scope', SCOPES.join(' '));
      await customerPage.goto(url.href);
      assert.equal(new URL(customerPage.url()).origin, porter.url, 'never redirected to an unregistered URL');
      assert.match(await textOf(customerPage.locator('main')), /redirect/i);
      await assertAccessible(customerPage, 'the error page');

      await devPage.goto(`${appPath}/debugger`);
      const row = devPage.locator('tr', { hasText: wrong });
      assert.equal(await row.count(), 1, 'the failure is listed');
      const text = await textOf(row);
      assert.match(text, /invalid_request|redirect/);
      assert.ok(text.includes(`${exampleUrl}/oauth/callback`), 'next to the registered one');
      assert.match(text, /is not registered/);
      await look(devPage, 'install-debugger');
    });

    it('6. Decline lands on the example app’s friendly page', async () => {
      const page = await person();
      await page.goto(exampleUrl);
      await page.getByRole('button', { name: 'Install in Porter' }).click();
      await page.waitForURL((u) => u.pathname === '/sign-in');
      await signIn(page, customer);
      await page.getByRole('button', { name: 'Decline', exact: true }).click();
      await page.waitForURL((u) => u.href.startsWith(exampleUrl));
      assert.equal(await textOf(page.locator('h1')), 'You declined the install');
      assert.equal(await page.getByRole('button', { name: 'Try again' }).isVisible(), true);
      await look(page, 'example-declined');
    });

    it('7. Uninstall in Porter: the example app then asks to reinstall', async () => {
      await customerPage.goto(`${porter.url}/installed-apps`);
      await look(customerPage, 'installed-apps');
      await submit(customerPage, customerPage.getByRole('button', { name: `Uninstall ${APP_NAME}` }));
      assert.equal(new URL(customerPage.url()).pathname, '/installed-apps');
      assert.equal(await customerPage.getByRole('button', { name: `Uninstall ${APP_NAME}` }).count(), 0);
      await customerPage.goto(`${exampleUrl}/dashboard`);
      assert.equal(await textOf(customerPage.locator('h1')), `Reinstall ${APP_NAME}`);
      assert.match(await textOf(customerPage.getByRole('alert')), /Globex Retail/);
      assert.equal(await customerPage.getByRole('button', { name: 'Reinstall in Porter' }).isVisible(), true);
      await look(customerPage, 'example-reinstall');
    });

    it('8. a custom-scheme redirect ends on a page that says the window can be closed', async () => {
      const url = new URL('/integrations/oauth-install', porter.url);
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('redirect_uri', 'myapp://oauth/callback');
      url.searchParams.set('scope', SCOPES.join(' '));
      url.searchParams.set('state', 'desktop-1');
      await customerPage.goto(url.href);
      await submit(customerPage, customerPage.getByRole('button', { name: 'Authorize', exact: true }));
      assert.equal(new URL(customerPage.url()).pathname, '/oauth/authorized');
      assert.match(await textOf(customerPage.locator('main')), /safe to close this window/);
      await look(customerPage, 'custom-scheme-authorized');
    });

    it('9. the developer switches to a test company and installs the app there', async () => {
      await devPage.goto('/developer');
      const testName = 'Acme Apps Test';
      assert.equal(await devPage.getByLabel('Test company name', { exact: true }).inputValue(), testName);
      await submit(devPage, devPage.getByRole('button', { name: 'Create test company' }));
      const switcher = devPage.locator('details.switcher');
      await switcher.locator('summary').click();
      await submit(devPage, switcher.locator('button[name="company_id"]', { hasText: testName }));
      assert.equal(await textOf(switcher.getByTestId('active-company')), testName);

      await devPage.goto(exampleUrl);
      await devPage.getByRole('button', { name: 'Install in Porter' }).click();
      await devPage.getByRole('button', { name: 'Authorize', exact: true }).waitFor();
      assert.match(await devPage.content(), new RegExp(testName));
      await devPage.getByRole('button', { name: 'Authorize', exact: true }).click();
      await devPage.waitForURL((u) => u.href.startsWith(`${exampleUrl}/dashboard`));
      assert.equal(await textOf(devPage.locator('h1')), testName);
      assert.deepEqual(cspErrors, [], 'no page broke its Content-Security-Policy');
    });
  });
});
