import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, needsChromium, openWatchedPage } from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

// The developer portal as a developer lives it, in headless Chromium against a real server:
// the steps of one app's life run in order in one signed-in browser context.

const PASSWORD = 'correct horse battery';
let counter = 0;

/** A user who owns one live company, made through the services. */
async function makeDeveloper(porter: TestPorter) {
  counter += 1;
  const email = `portal${counter}-${Date.now()}@example.test`;
  const { accounts } = porter.services;
  const user = await accounts.createUser({ email, password: PASSWORD, name: `Dev ${counter}` });
  const company = await accounts.createOwnedCompany(user.id, { name: `Dev Shop ${counter}` });
  return { email, user, company };
}

/** A fresh context (no cookies) that may use the clipboard, with its console watched. */
function openContext(browser: Browser, baseURL: string) {
  return openWatchedPage(browser, baseURL, { clipboard: true });
}

/** Opens `/`, is sent to sign-in, signs in there and lands back on `/`. */
async function signIn(page: Page, email: string) {
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** The text of one element as a reader sees it: whitespace collapsed. */
async function textOf(locator: Locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Clicks a submit button and waits for the page its form leads to. */
async function submit(page: Page, button: Locator) {
  const navigated = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
  await button.click();
  await navigated;
  await page.waitForLoadState();
}

/** Calls GET /v1/me with Node's fetch and a bearer key. */
async function me(porter: TestPorter, key: string) {
  const res = await fetch(`${porter.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

forEachDialect('developer portal in a browser', (dialect) => {
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

    describe("an app's life, step by step in one signed-in browser", () => {
      let context: BrowserContext;
      let page: Page;
      let cspErrors: string[];
      let scriptErrors: string[];
      let dev: Awaited<ReturnType<typeof makeDeveloper>>;
      /** What the earlier steps made; a step that needs something missing says so. */
      const made: { appPath?: string; apiKey?: string; secret?: string; name?: string } = {};
      const need = <K extends keyof typeof made>(key: K): NonNullable<(typeof made)[K]> => {
        const value = made[key];
        if (value === undefined) throw new Error(`an earlier step failed: no ${key}`);
        return value as NonNullable<(typeof made)[K]>;
      };
      const appSection = (id: string) => page.locator(`section#${id}`);
      const secretShown = () => page.locator('section[aria-label="New credential"]');

      before(async () => {
        dev = await makeDeveloper(porter);
        ({ context, page, cspErrors, scriptErrors } = await openContext(browser, porter.url));
      });
      after(async () => {
        await context?.close();
      });

      it('1. creates an app from the portal and shows a working API key once', async () => {
        await signIn(page, dev.email);
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Developer portal', exact: true })
          .click();
        await page.waitForURL((url) => url.pathname === '/developer');
        assert.equal(await textOf(page.locator('h1')), `Developer portal · ${dev.company.name}`);
        assert.equal(await page.getByText('No apps yet.').isVisible(), true);

        await page.getByRole('link', { name: 'Create app', exact: true }).click();
        await page.waitForURL((url) => url.pathname === '/developer/apps/new');
        assert.equal(await textOf(page.locator('h1')), 'Create app');
        await page.getByLabel('App name', { exact: true }).fill('Weather Sync');
        const events = page.getByRole('checkbox', { name: /events:write/ });
        const subscriptions = page.getByRole('checkbox', { name: /subscriptions:write/ });
        await events.check();
        await subscriptions.check();
        assert.equal(await events.isChecked(), true);
        assert.equal(await subscriptions.isChecked(), true);
        await submit(page, page.getByRole('button', { name: 'Create app', exact: true }));

        assert.equal(new URL(page.url()).pathname, '/developer/apps');
        assert.equal(await secretShown().getByRole('heading', { name: 'App created' }).isVisible(), true);
        const apiKey = await textOf(page.locator('#api-key-value'));
        assert.match(apiKey, /^porter_ak_[A-Za-z0-9_-]+$/);
        const heading = page.locator('h1');
        assert.match(await textOf(heading), /^Weather Sync Private$/);
        assert.equal(await textOf(heading.getByTestId('status')), 'Private');
        // The page is the app's page: its forms post to /developer/apps/<id>/….
        const action = await appSection('settings').locator('form').getAttribute('action');
        const appPath = /^(\/developer\/apps\/app_[a-z0-9]+)\/settings$/.exec(action ?? '')?.[1];
        assert.ok(appPath, `settings form action: ${action}`);
        const checked = await page
          .locator('#settings input[name="scopes"]:checked')
          .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
        assert.deepEqual(checked, ['events:write', 'subscriptions:write']);

        const whoAmI = await me(porter, apiKey);
        assert.equal(whoAmI.status, 200);
        assert.equal(whoAmI.body.application.name, 'Weather Sync');
        assert.deepEqual(whoAmI.body.company, { id: dev.company.id, name: dev.company.name });
        assert.deepEqual([...whoAmI.body.scopes].sort(), ['events:write', 'subscriptions:write']);
        assert.equal(whoAmI.body.credential, 'api_key');
        Object.assign(made, { appPath, apiKey, name: 'Weather Sync' });
        assert.deepEqual(cspErrors, []);
        assert.deepEqual(scriptErrors, []);
      });

      it('2. copies the API key to the clipboard with the Copy button', async () => {
        const apiKey = need('apiKey');
        const copy = page.locator('.secret-box', { has: page.locator('#api-key-value') }).getByRole('button');
        // Hidden in the HTML; the script shows it when the clipboard API is there.
        assert.equal(await copy.getAttribute('data-copy'), 'api-key-value');
        assert.equal(await copy.isVisible(), true, 'the script showed the Copy button');
        assert.equal(await textOf(copy), 'Copy');
        await page.evaluate(() => navigator.clipboard.writeText('something else'));
        await copy.click();
        await page.waitForFunction((el) => el?.textContent === 'Copied', await copy.elementHandle(), {
          timeout: 1500,
        });
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), apiKey);
        // It turns back into "Copy" after two seconds.
        await page.waitForFunction((el) => el?.textContent === 'Copy', await copy.elementHandle(), {
          timeout: 4000,
        });
      });

      it('3. generates distribution credentials, shows the secret once and marks the app Unlisted', async (t) => {
        const appPath = need('appPath');
        const distribution = appSection('distribution');
        assert.equal(await textOf(distribution.locator('h2')), 'Manage Distribution');
        await distribution.getByLabel('Redirect URLs').fill('https://weather.example/oauth/callback');
        await submit(page, distribution.getByRole('button', { name: 'Generate Credentials' }));

        assert.equal(new URL(page.url()).pathname, `${appPath}/distribution`);
        const shown = secretShown();
        assert.equal(await shown.getByRole('heading', { name: 'Distribution enabled' }).isVisible(), true);
        const secret = await textOf(page.locator('#client-secret-value'));
        assert.match(secret, /^porter_cs_[A-Za-z0-9_-]+$/);
        const clientId = await textOf(page.locator('#client-id'));
        assert.ok(clientId.length > 0, 'a client ID is shown');
        assert.ok((await textOf(shown)).includes(`Client ID: ${clientId}`), 'the new credential names it');
        assert.equal(await textOf(page.locator('h1').getByTestId('status')), 'Unlisted');

        const distributionUrl = new URL(await textOf(page.locator('#distribution-url')));
        assert.equal(distributionUrl.origin, porter.url);
        assert.equal(distributionUrl.pathname, '/integrations/oauth-install');
        assert.equal(distributionUrl.searchParams.get('client_id'), clientId);
        assert.equal(
          distributionUrl.searchParams.get('redirect_uri'),
          'https://weather.example/oauth/callback',
        );
        const scope = distributionUrl.searchParams.get('scope') ?? '';
        assert.deepEqual(scope.split(/[ +]/).sort(), ['events:write', 'subscriptions:write']);
        assert.ok(
          (await textOf(shown)).includes(`Distribution URL: ${distributionUrl.href}`),
          'the new credential shows the distribution URL',
        );
        assert.deepEqual(await distribution.locator('dd ul li').allTextContents(), [
          'https://weather.example/oauth/callback',
        ]);
        made.secret = secret;

        await page.screenshot({ path: '/tmp/portal-app.png', fullPage: true });
        await page.setViewportSize({ width: 375, height: 740 });
        await page.screenshot({ path: '/tmp/portal-app-mobile.png', fullPage: true });
        // On a phone the new credential and its Copy button stay on the screen.
        for (const part of [shown, page.locator('#client-secret-value'), shown.getByRole('button')]) {
          const box = await part.boundingBox();
          assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${part} spans ${JSON.stringify(box)}`);
        }
        // Known layout problem, reported rather than asserted: elements wider than the phone.
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll('main *')]
            .filter((el) => el.getBoundingClientRect().right > 375.5)
            .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`),
        );
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 375)
          t.diagnostic(`at 375px the app page is ${width}px wide; too wide: ${wide.slice(0, 6).join(' ')}…`);
        await page.setViewportSize({ width: 1280, height: 800 });

        await page.goto(appPath);
        const html = await page.content();
        assert.equal(html.includes(secret), false, 'the client secret is not shown again');
        assert.equal(await page.locator('#client-secret-value').count(), 0);
        assert.equal(await textOf(page.locator('#client-id')), clientId);
        assert.equal(await textOf(page.locator('h1').getByTestId('status')), 'Unlisted');
        assert.deepEqual(cspErrors, []);
      });

      it('4. regenerates the client secret only once the checkbox confirms it', async () => {
        const appPath = need('appPath');
        const secret = need('secret');
        const distribution = appSection('distribution');
        const confirm = distribution.getByRole('checkbox', { name: /current client secret stops working/ });
        const regenerate = distribution.getByRole('button', { name: 'Regenerate Client Secret' });
        assert.equal(await confirm.getAttribute('required'), '');
        let navigations = 0;
        const count = (f: unknown) => {
          if (f === page.mainFrame()) navigations += 1;
        };
        page.on('framenavigated', count);
        await regenerate.click();
        await page.waitForTimeout(300);
        page.off('framenavigated', count);
        assert.equal(navigations, 0, 'the browser did not submit the unconfirmed form');
        assert.equal(new URL(page.url()).pathname, appPath);
        assert.equal(await page.locator('#client-secret-value').count(), 0);
        assert.equal(await confirm.evaluate((el) => (el as HTMLInputElement).validity.valueMissing), true);

        await confirm.check();
        await submit(page, regenerate);
        assert.equal(new URL(page.url()).pathname, `${appPath}/client-secret`);
        assert.equal(await secretShown().getByText('New client secret').isVisible(), true);
        const fresh = await textOf(page.locator('#client-secret-value'));
        assert.match(fresh, /^porter_cs_[A-Za-z0-9_-]+$/);
        assert.notEqual(fresh, secret);
        assert.deepEqual(cspErrors, []);
      });

      it('5. saves settings, and shows an invalid homepage URL next to its field', async () => {
        const appPath = need('appPath');
        await page.goto(appPath);
        const settings = appSection('settings');
        await settings.getByLabel('App name', { exact: true }).fill('Weather Sync Pro');
        await submit(page, settings.getByRole('button', { name: 'Save settings' }));
        assert.equal(new URL(page.url()).pathname, appPath);
        assert.equal(await textOf(page.getByRole('status')), 'Settings saved.');
        assert.equal(await textOf(page.locator('h1')), 'Weather Sync Pro Unlisted');
        assert.equal(await page.title(), 'Weather Sync Pro · Porter');
        made.name = 'Weather Sync Pro';

        const homepage = appSection('settings').getByLabel('Homepage URL', { exact: true });
        await homepage.fill('ftp://x');
        await submit(page, appSection('settings').getByRole('button', { name: 'Save settings' }));
        assert.equal(new URL(page.url()).pathname, `${appPath}/settings`);
        const error = page.locator('#homepage_url-error');
        assert.equal(await error.isVisible(), true);
        assert.match(await textOf(error), /https/);
        const field = appSection('settings').getByLabel('Homepage URL', { exact: true });
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        assert.equal(await field.getAttribute('aria-describedby'), 'homepage_url-error');
        assert.equal(await field.inputValue(), 'ftp://x', 'what was typed is kept');
        // The error sits right after its field.
        const next = await field.evaluate((el) => el.nextElementSibling?.id);
        assert.equal(next, 'homepage_url-error');
        assert.equal(await page.getByRole('status').count(), 0, 'nothing was saved');
        assert.equal(await textOf(page.locator('h1')), 'Weather Sync Pro Unlisted');
        assert.deepEqual(cspErrors, []);
      });

      it('6. lists every change in the audit log', async () => {
        const appPath = need('appPath');
        await page.goto(appPath);
        const audit = appSection('audit');
        assert.equal(await textOf(audit.locator('h2')), 'Audit log');
        const whats = (await audit.locator('tbody tr td:nth-child(2)').allTextContents()).map((t) =>
          t.trim(),
        );
        for (const what of [
          'App created',
          'Distribution enabled',
          'Client secret regenerated',
          'Settings changed',
        ]) {
          assert.ok(whats.includes(what), `audit log has "${what}": ${whats.join(', ')}`);
        }
        assert.equal(whats.length, 4, `one row per change, the failed save adds none: ${whats}`);
        const who = await audit.locator('tbody tr td:nth-child(3)').allTextContents();
        for (const w of who) assert.equal(w.trim(), dev.email);
      });

      it('7. deletes the app only by its exact name, and its API key stops working', async () => {
        const appPath = need('appPath');
        const apiKey = need('apiKey');
        const name = need('name');
        await page.goto(appPath);
        const danger = appSection('danger');
        await danger.getByLabel(`Type ${name} to confirm`).fill(name.toLowerCase());
        await submit(page, danger.getByRole('button', { name: 'Delete app' }));
        assert.equal(new URL(page.url()).pathname, `${appPath}/delete`);
        const error = page.locator('#confirm_name-error');
        assert.equal(await error.isVisible(), true);
        assert.equal(await textOf(error), `type the app's name, ${name}, to confirm`);
        const field = appSection('danger').getByLabel(`Type ${name} to confirm`);
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        assert.equal(await field.evaluate((el) => el.nextElementSibling?.id), 'confirm_name-error');
        assert.equal((await me(porter, apiKey)).status, 200, 'the app still exists');
        await page.goto(appPath);
        assert.equal(await textOf(page.locator('h1')), `${name} Unlisted`);

        await appSection('danger').getByLabel(`Type ${name} to confirm`).fill(name);
        await submit(page, appSection('danger').getByRole('button', { name: 'Delete app' }));
        const url = new URL(page.url());
        assert.equal(url.pathname, '/developer');
        assert.equal(url.search, '?notice=deleted');
        assert.equal(
          await textOf(page.getByRole('status')),
          'The app was deleted and every token it issued was revoked.',
        );
        assert.equal(await page.getByRole('link', { name }).count(), 0, 'the app is not listed');
        assert.equal(await page.locator(`a[href="${appPath}"]`).count(), 0);
        assert.equal(await page.getByText('No apps yet.').isVisible(), true);
        const whoAmI = await me(porter, apiKey);
        assert.equal(whoAmI.status, 401);
        const gone = await page.goto(appPath);
        assert.equal(gone?.status(), 404);
        assert.deepEqual(cspErrors, []);
        assert.deepEqual(scriptErrors, []);
      });
    });

    it('creates a test company and switches into it from the header', async (t: TestContext) => {
      const dev = await makeDeveloper(porter);
      const { context, page, cspErrors } = await openContext(browser, porter.url);
      t.after(() => context.close());
      await signIn(page, dev.email);
      await page.goto('/developer');
      const testName = `${dev.company.name} Test`;
      const nameField = page.getByLabel('Test company name', { exact: true });
      assert.equal(await nameField.inputValue(), testName, 'a name is suggested');
      await submit(page, page.getByRole('button', { name: 'Create test company' }));
      assert.equal(new URL(page.url()).search, '?notice=test_company');
      assert.equal(
        await textOf(page.getByRole('status')),
        'Test company created. Switch to it from the header to test installs of your apps.',
      );
      const listed = page.locator('section[aria-labelledby="test-h"] li');
      assert.deepEqual(await listed.allTextContents(), [`${testName} Test`]);
      assert.equal(await textOf(page.locator('h1')), `Developer portal · ${dev.company.name}`);

      const switcher = page.locator('details.switcher');
      const testButton = switcher.locator('button[name="company_id"]', { hasText: testName });
      assert.equal(await testButton.isVisible(), false, 'the menu starts closed');
      await switcher.locator('summary').click();
      assert.equal(await testButton.isVisible(), true, 'the summary opens the menu');
      assert.equal(await testButton.getAttribute('aria-current'), 'false');
      await submit(page, testButton);
      assert.equal(new URL(page.url()).pathname, '/developer');
      assert.equal(await textOf(page.locator('h1')), `Developer portal · ${testName}`);
      assert.equal(await textOf(switcher.getByTestId('active-company')), testName);
      assert.equal(await testButton.getAttribute('aria-current'), 'true');
      assert.equal(await page.getByText('No apps yet.').isVisible(), true, "the test company's own apps");
      assert.deepEqual(cspErrors, []);
    });

    // The Swagger UI bundle sets inline styles, so /docs alone allows them (app.ts); it must
    // still refuse framing and log no violation.
    it('renders the API docs at /docs without Content-Security-Policy violations', async (t: TestContext) => {
      const { context, page, cspErrors, scriptErrors } = await openContext(browser, porter.url);
      t.after(() => context.close());
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText}`));
      const res = await page.goto('/docs');
      assert.equal(res?.ok(), true, `GET /docs answered ${res?.status()}`);
      const rendered = await page
        .getByText('/developer/v1/apps', { exact: true })
        .first()
        .waitFor({ timeout: 8000 })
        .then(
          () => true,
          () => false,
        );
      const title = rendered ? await textOf(page.locator('.info .title').first()) : '';
      const report = [
        `CSP header: ${res?.headers()['content-security-policy']}`,
        `CSP violations: ${JSON.stringify(cspErrors)}`,
        `console errors: ${JSON.stringify(consoleErrors)}`,
        `failed requests: ${JSON.stringify(failed)}`,
        `page errors: ${JSON.stringify(scriptErrors)}`,
      ].join('\n');
      assert.ok(rendered, `Swagger UI did not render the operations:\n${report}`);
      assert.match(title, /^Porter API/);
      assert.match(res?.headers()['content-security-policy'] ?? '', /frame-ancestors 'none'/);
      assert.deepEqual(failed, [], report);
      assert.deepEqual(scriptErrors, [], report);
      assert.deepEqual(cspErrors, [], `/docs logs Content-Security-Policy violations:\n${report}`);
      assert.deepEqual(consoleErrors, [], report);
    });
  });
});
