import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { CLI_ACTOR } from '../src/audit/service.js';
import { launchChromium, needsChromium, openWatchedPage, submit, textOf } from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { horizontalOverflow, screenshot } from './helpers/layout.js';
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

/** Clicks a Copy button and says what it put on the clipboard (after clearing it). */
async function copiedBy(page: Page, button: Locator) {
  assert.equal(await button.isVisible(), true, `${button} is shown`);
  assert.equal(await textOf(button), 'Copy');
  await page.evaluate(() => navigator.clipboard.writeText('something else'));
  await button.click();
  await page.waitForFunction((el) => el?.textContent === 'Copied', await button.elementHandle(), {
    timeout: 1500,
  });
  return page.evaluate(() => navigator.clipboard.readText());
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
      const made: {
        appPath?: string;
        appId?: string;
        apiKey?: string;
        secret?: string;
        name?: string;
        clientId?: string;
        distributionUrl?: string;
      } = {};
      const need = <K extends keyof typeof made>(key: K): NonNullable<(typeof made)[K]> => {
        const value = made[key];
        if (value === undefined) throw new Error(`an earlier step failed: no ${key}`);
        return value as NonNullable<(typeof made)[K]>;
      };
      const appSection = (id: string) => page.locator(`section#${id}`);
      const secretShown = () => page.locator('section[aria-label="New credential"]');
      const tabs = () => page.getByRole('navigation', { name: 'App sections' });
      /** The app's audit log as the service keeps it: what happened, oldest first. */
      const actions = async () =>
        (await porter.services.apps.auditLog(CLI_ACTOR, dev.company.id, need('appId')))
          .map((e) => e.action)
          .sort();

      before(async () => {
        dev = await makeDeveloper(porter);
        ({ context, page, cspErrors, scriptErrors } = await openContext(browser, porter.url));
      });
      after(async () => {
        await context?.close();
      });

      it('1. creates an app from the portal and shows a working API key once, on its settings tab', async () => {
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

        // Post/Redirect/Get: the POST to /developer/apps lands on the new app's settings tab.
        const url = new URL(page.url());
        const appPath = /^\/developer\/apps\/(app_[a-z0-9]+)$/.exec(url.pathname)?.[0];
        assert.ok(appPath, `landed on ${url.pathname}`);
        assert.equal(url.search, '');
        assert.equal(await secretShown().getByRole('heading', { name: 'App created' }).isVisible(), true);
        const apiKey = await textOf(secretShown().locator('#api-key-value'));
        assert.match(apiKey, /^porter_ak_[A-Za-z0-9_-]+$/);
        const heading = page.locator('h1');
        assert.match(await textOf(heading), /^Weather Sync Private$/);
        assert.equal(await textOf(heading.getByTestId('status')), 'Private');
        assert.equal(await tabs().locator('[aria-current="page"]').textContent(), 'Settings');
        const action = await appSection('settings-form').locator('form').getAttribute('action');
        assert.equal(action, `${appPath}/settings`);
        const checked = await page
          .locator('#settings-form input[name="scopes"]:checked')
          .evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
        assert.deepEqual(checked, ['events:write', 'subscriptions:write']);

        const whoAmI = await me(porter, apiKey);
        assert.equal(whoAmI.status, 200);
        assert.equal(whoAmI.body.application.name, 'Weather Sync');
        assert.deepEqual(whoAmI.body.company, { id: dev.company.id, name: dev.company.name });
        assert.deepEqual([...whoAmI.body.scopes].sort(), ['events:write', 'subscriptions:write']);
        assert.equal(whoAmI.body.credential, 'api_key');
        Object.assign(made, { appPath, appId: appPath.split('/').pop(), apiKey, name: 'Weather Sync' });
        assert.deepEqual(cspErrors, []);
        assert.deepEqual(scriptErrors, []);
      });

      it('2. copies the API key to the clipboard with the Copy button', async () => {
        const apiKey = need('apiKey');
        const copy = secretShown().getByRole('button', { name: 'Copy API key' });
        // Hidden in the HTML; the script shows it when the clipboard API is there.
        assert.equal(await copy.getAttribute('data-copy'), 'api-key-value');
        assert.equal(await copy.isVisible(), true, 'the script showed the Copy button');
        assert.equal(await copiedBy(page, copy), apiKey);
        // It turns back into "Copy" after two seconds.
        await page.waitForFunction((el) => el?.textContent === 'Copy', await copy.elementHandle(), {
          timeout: 4000,
        });
      });

      it('3. a reload neither shows the API key again nor creates a second app', async () => {
        const appPath = need('appPath');
        const apiKey = need('apiKey');
        const res = await page.reload();
        assert.equal(res?.request().method(), 'GET');
        assert.equal(new URL(page.url()).pathname, appPath);
        assert.equal(await secretShown().count(), 0, 'no new credential on reload');
        assert.equal((await page.content()).includes(apiKey), false, 'the API key is not in the page');
        const apps = await porter.services.apps.list(CLI_ACTOR, dev.company.id);
        assert.deepEqual(
          apps.map((a) => a.name),
          ['Weather Sync'],
        );
        assert.deepEqual(await actions(), ['app.created']);
        assert.equal((await me(porter, apiKey)).status, 200, 'the key shown first still works');
      });

      it('4. shows each section as a tab: a link to its own URL, the current one marked', async () => {
        const appPath = need('appPath');
        const expected = [
          ['Settings', appPath, 'Settings'],
          ['Credentials', `${appPath}/credentials`, 'API key'],
          ['Distribution', `${appPath}/distribution`, 'Manage Distribution'],
          ['Listing', `${appPath}/listing`, 'Marketplace listing'],
          ['Webhooks', `${appPath}/webhooks`, 'Endpoint'],
          ['Activity', `${appPath}/activity`, 'Activity'],
          ['Install debugger', `${appPath}/debugger`, 'Install debugger'],
          ['Audit log', `${appPath}/audit`, 'Audit log'],
          ['Danger zone', `${appPath}/danger`, 'Danger zone'],
        ] as const;
        const links = tabs().getByRole('link');
        assert.deepEqual(
          (await links.allTextContents()).map((t) => t.trim()),
          expected.map(([label]) => label),
        );
        for (const [label, path, firstHeading] of expected) {
          await tabs().getByRole('link', { name: label, exact: true }).click();
          await page.waitForURL((url) => url.pathname === path);
          assert.equal(await tabs().getByRole('link', { name: label }).getAttribute('href'), path);
          const current = tabs().locator('a[aria-current]');
          assert.deepEqual(await current.allTextContents(), [label], `only ${label} is current`);
          assert.equal(await current.getAttribute('aria-current'), 'page');
          assert.equal(await textOf(page.locator('main h2').first()), firstHeading);
          assert.equal(await page.title(), `${label} · Weather Sync · Porter`);
          // The current tab looks different from the others, not only to a screen reader.
          const looks = await links.evaluateAll((els) =>
            els.map((el) => {
              const s = getComputedStyle(el);
              return `${s.fontWeight} ${s.color} ${s.backgroundColor} ${s.borderTopColor}`;
            }),
          );
          const mine = looks[expected.findIndex(([l]) => l === label)];
          assert.ok(
            looks.every((look, i) => look !== mine || expected[i]?.[0] === label),
            `the current tab ${label} looks like another: ${looks.join(' | ')}`,
          );
        }
        assert.deepEqual(cspErrors, []);
      });

      it('5. generates distribution credentials, shows the secret once and marks the app Unlisted', async () => {
        const appPath = need('appPath');
        await page.goto(`${appPath}/distribution`);
        const distribution = appSection('distribution-form');
        assert.equal(await textOf(distribution.locator('h2')), 'Manage Distribution');
        await distribution.getByLabel('Redirect URLs').fill('https://weather.example/oauth/callback');
        await submit(page, distribution.getByRole('button', { name: 'Generate Credentials' }));

        const url = new URL(page.url());
        assert.equal(url.pathname, `${appPath}/distribution`);
        assert.equal(url.search, '');
        const shown = secretShown();
        assert.equal(await shown.getByRole('heading', { name: 'Distribution enabled' }).isVisible(), true);
        const secret = await textOf(shown.locator('#client-secret-value'));
        assert.match(secret, /^porter_cs_[A-Za-z0-9_-]+$/);
        const clientId = await textOf(distribution.locator('#client-id'));
        assert.match(clientId, /^[a-z0-9]{16,}$/, 'a client ID is shown');
        assert.equal(await textOf(shown.locator('#new-client-id')), clientId, 'the new credential names it');
        assert.equal(await textOf(page.locator('h1').getByTestId('status')), 'Unlisted');

        const distributionUrl = new URL(await textOf(distribution.locator('#distribution-url')));
        assert.equal(distributionUrl.origin, porter.url);
        assert.equal(distributionUrl.pathname, '/integrations/oauth-install');
        assert.equal(distributionUrl.searchParams.get('client_id'), clientId);
        assert.equal(
          distributionUrl.searchParams.get('redirect_uri'),
          'https://weather.example/oauth/callback',
        );
        const scope = distributionUrl.searchParams.get('scope') ?? '';
        assert.deepEqual(scope.split(/[ +]/).sort(), ['events:write', 'subscriptions:write']);
        assert.equal(
          await textOf(shown.locator('#new-distribution-url')),
          distributionUrl.href,
          'the new credential shows the distribution URL',
        );
        assert.deepEqual(await distribution.locator('dd ul li').allTextContents(), [
          'https://weather.example/oauth/callback',
        ]);
        Object.assign(made, { secret, clientId, distributionUrl: distributionUrl.href });

        // On a phone the new credential and its Copy buttons stay on the screen.
        await screenshot(page, `${dialect.name}-distribution-enabled-1280`);
        await page.setViewportSize({ width: 375, height: 740 });
        try {
          await screenshot(page, `${dialect.name}-distribution-enabled-375`);
          const parts = [
            shown,
            shown.locator('#client-secret-value'),
            ...(await shown.getByRole('button').all()),
          ];
          for (const part of parts) {
            const box = await part.boundingBox();
            assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${part} spans ${JSON.stringify(box)}`);
          }
          const { scrollWidth, offenders } = await horizontalOverflow(page);
          assert.ok(
            scrollWidth <= 375,
            `at 375px the page is ${scrollWidth}px wide: ${offenders.join(', ')}`,
          );
        } finally {
          await page.setViewportSize({ width: 1280, height: 800 });
        }
        assert.deepEqual(cspErrors, []);
      });

      it('6. a reload neither shows the client secret again nor generates new credentials', async () => {
        const appPath = need('appPath');
        const secret = need('secret');
        const clientId = need('clientId');
        await page.reload();
        assert.equal(new URL(page.url()).pathname, `${appPath}/distribution`);
        assert.equal(await secretShown().count(), 0, 'no new credential on reload');
        assert.equal((await page.content()).includes(secret), false, 'the client secret is not shown again');
        assert.equal(await page.locator('#client-secret-value').count(), 0);
        assert.equal(await textOf(page.locator('#client-id')), clientId, 'the same client ID');
        assert.equal(await textOf(page.locator('h1').getByTestId('status')), 'Unlisted');
        assert.deepEqual(await actions(), ['app.created', 'app.distribution_enabled']);
        assert.deepEqual(cspErrors, []);
      });

      it('7. copies the distribution URL and the client ID with the buttons beside them', async () => {
        const appPath = need('appPath');
        const clientId = need('clientId');
        const distributionUrl = need('distributionUrl');
        await page.goto(`${appPath}/distribution`);
        const distribution = appSection('distribution-form');
        const copyUrl = distribution.getByRole('button', { name: 'Copy distribution URL' });
        const copyId = distribution.getByRole('button', { name: 'Copy client ID' });
        assert.equal(await copiedBy(page, copyUrl), distributionUrl);
        assert.equal(await copiedBy(page, copyId), clientId);

        await tabs().getByRole('link', { name: 'Credentials', exact: true }).click();
        await page.waitForURL((url) => url.pathname === `${appPath}/credentials`);
        const client = appSection('client-secret-form');
        assert.equal(await textOf(client.locator('#client-id')), clientId);
        assert.equal(await copiedBy(page, client.getByRole('button', { name: 'Copy client ID' })), clientId);
        assert.deepEqual(scriptErrors, []);
      });

      it('8. regenerates the client secret only once the checkbox confirms it, and not again on reload', async () => {
        const appPath = need('appPath');
        const secret = need('secret');
        await page.goto(`${appPath}/credentials`);
        const client = appSection('client-secret-form');
        const confirm = client.getByRole('checkbox', { name: /current client secret stops working/ });
        const regenerate = client.getByRole('button', { name: 'Regenerate Client Secret' });
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
        assert.equal(new URL(page.url()).pathname, `${appPath}/credentials`);
        assert.equal(await page.locator('#client-secret-value').count(), 0);
        assert.equal(await confirm.evaluate((el) => (el as HTMLInputElement).validity.valueMissing), true);

        await confirm.check();
        await submit(page, regenerate);
        assert.equal(new URL(page.url()).pathname, `${appPath}/credentials`);
        assert.equal(
          await secretShown().getByRole('heading', { name: 'New client secret' }).isVisible(),
          true,
        );
        const fresh = await textOf(secretShown().locator('#client-secret-value'));
        assert.match(fresh, /^porter_cs_[A-Za-z0-9_-]+$/);
        assert.notEqual(fresh, secret);

        await page.reload();
        assert.equal(new URL(page.url()).pathname, `${appPath}/credentials`);
        assert.equal(await secretShown().count(), 0, 'no new credential on reload');
        assert.equal((await page.content()).includes(fresh), false, 'the new secret is not shown again');
        assert.equal(await appSection('client-secret-form').getByRole('checkbox').isChecked(), false);
        const regenerated = (await actions()).filter((a) => a === 'app.client_secret_regenerated');
        assert.equal(regenerated.length, 1, 'the reload regenerated nothing');
        assert.deepEqual(cspErrors, []);
      });

      it('9. regenerates the API key: the new one works, the old one stops, and a reload repeats nothing', async () => {
        const appPath = need('appPath');
        const old = need('apiKey');
        await page.goto(`${appPath}/credentials`);
        await submit(page, appSection('api-key-form').getByRole('button', { name: 'Regenerate API key' }));
        assert.equal(new URL(page.url()).pathname, `${appPath}/credentials`);
        assert.equal(await secretShown().getByRole('heading', { name: 'New API key' }).isVisible(), true);
        const fresh = await textOf(secretShown().locator('#api-key-value'));
        assert.match(fresh, /^porter_ak_[A-Za-z0-9_-]+$/);
        assert.notEqual(fresh, old);
        assert.equal((await me(porter, fresh)).status, 200, 'the new key works');
        assert.equal((await me(porter, old)).status, 401, 'the old key stopped');
        made.apiKey = fresh;

        await page.reload();
        assert.equal(await secretShown().count(), 0, 'no new credential on reload');
        assert.equal((await page.content()).includes(fresh), false, 'the new key is not shown again');
        assert.equal((await me(porter, fresh)).status, 200, 'the reload made no other key');
        const regenerated = (await actions()).filter((a) => a === 'app.api_key_regenerated');
        assert.equal(regenerated.length, 1);
        assert.deepEqual(cspErrors, []);
      });

      it('10. saves settings; a refused save lands back on the form with a summary linking to the field', async () => {
        const appPath = need('appPath');
        await page.goto(appPath);
        const settings = appSection('settings-form');
        await settings.getByLabel('App name', { exact: true }).fill('Weather Sync Pro');
        await submit(page, settings.getByRole('button', { name: 'Save settings' }));
        assert.equal(new URL(page.url()).pathname, appPath);
        assert.equal(await textOf(page.getByRole('status')), 'Settings saved.');
        assert.equal(await textOf(page.locator('h1')), 'Weather Sync Pro Unlisted');
        assert.equal(await page.title(), 'Settings · Weather Sync Pro · Porter');
        made.name = 'Weather Sync Pro';

        await settings.getByLabel('Homepage URL', { exact: true }).fill('ftp://x');
        await submit(page, settings.getByRole('button', { name: 'Save settings' }));
        const url = new URL(page.url());
        assert.equal(url.pathname, appPath, 'back on the settings tab');
        assert.equal(url.hash, '#settings-form');
        assert.equal(await tabs().locator('[aria-current="page"]').textContent(), 'Settings');
        // Scrolled to the form: its card at the top of the window, the tabs above it out of sight.
        const top = await settings.evaluate((el) => el.getBoundingClientRect().top);
        assert.ok(Math.abs(top) <= 2, `the form's card starts ${top}px from the top of the window`);
        assert.ok((await page.evaluate(() => window.scrollY)) > 0, 'the page is scrolled');

        const summary = settings.getByRole('alert');
        assert.equal(await summary.isVisible(), true);
        assert.equal(
          await settings.evaluate((el) => el.querySelector('h2')?.nextElementSibling?.getAttribute('role')),
          'alert',
          'the summary comes first in the form',
        );
        const label = await textOf(settings.locator('label[for="homepage_url"]'));
        assert.equal(label, 'Homepage URL');
        const item = summary.getByRole('listitem');
        assert.equal(await item.count(), 1, `one problem: ${await textOf(summary)}`);
        assert.match(await textOf(item), new RegExp(`^${label}: .*https`));
        const link = item.getByRole('link', { name: label, exact: true });
        assert.equal(await link.getAttribute('href'), '#homepage_url');
        await link.click();
        assert.equal(new URL(page.url()).hash, '#homepage_url');
        assert.equal(
          await page.evaluate(() => document.activeElement?.id),
          'homepage_url',
          'the link focuses it',
        );
        const field = settings.getByLabel('Homepage URL', { exact: true });
        const box = await field.boundingBox();
        assert.ok(
          box && box.y >= 0 && box.y + box.height <= 800,
          `the field is in view: ${JSON.stringify(box)}`,
        );

        const error = page.locator('#homepage_url-error');
        assert.equal(await error.isVisible(), true);
        assert.match(await textOf(error), /https/);
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        assert.equal(await field.getAttribute('aria-describedby'), 'homepage_url-error');
        assert.equal(await field.inputValue(), 'ftp://x', 'what was typed is kept');
        // The error sits right after its field.
        assert.equal(await field.evaluate((el) => el.nextElementSibling?.id), 'homepage_url-error');
        assert.equal(await page.getByRole('status').count(), 0, 'nothing was saved');
        assert.equal(await textOf(page.locator('h1')), 'Weather Sync Pro Unlisted');

        // The refusal shows once: a reload shows the saved settings, without errors.
        await page.reload();
        assert.equal(await settings.getByRole('alert').count(), 0);
        assert.equal(await page.locator('#homepage_url-error').count(), 0);
        assert.equal(await settings.getByLabel('Homepage URL', { exact: true }).inputValue(), '');
        assert.equal(await settings.getByLabel('App name', { exact: true }).inputValue(), 'Weather Sync Pro');
        assert.deepEqual(cspErrors, []);
      });

      it('11. lists every change in the audit log, once each', async () => {
        const appPath = need('appPath');
        await page.goto(`${appPath}/audit`);
        const audit = appSection('audit');
        assert.equal(await textOf(audit.locator('h2')), 'Audit log');
        const whats = (await audit.locator('tbody tr td:nth-child(2)').allTextContents()).map((t) =>
          t.trim(),
        );
        assert.deepEqual(
          [...whats].sort(),
          [
            'API key regenerated',
            'App created',
            'Client secret regenerated',
            'Distribution enabled',
            'Settings changed',
          ],
          'one row per change; the reloads and the refused save add none',
        );
        const who = await audit.locator('tbody tr td:nth-child(3)').allTextContents();
        assert.equal(who.length, 5);
        for (const w of who) assert.equal(w.trim(), dev.email);
      });

      it('12. deletes the app only by its exact name, and its API key stops working', async () => {
        const appPath = need('appPath');
        const apiKey = need('apiKey');
        const name = need('name');
        await page.goto(`${appPath}/danger`);
        const danger = appSection('delete-form');
        await danger.getByLabel(`Type ${name} to confirm`).fill(name.toLowerCase());
        await submit(page, danger.getByRole('button', { name: 'Delete app' }));
        const refused = new URL(page.url());
        assert.equal(refused.pathname, `${appPath}/danger`);
        assert.equal(refused.hash, '#delete-form');
        const error = page.locator('#confirm_name-error');
        assert.equal(await error.isVisible(), true);
        assert.equal(await textOf(error), `type the app's name, ${name}, to confirm`);
        const summaryLink = danger.getByRole('alert').getByRole('link');
        assert.equal(await textOf(summaryLink), `Type ${name} to confirm`);
        assert.equal(await summaryLink.getAttribute('href'), '#confirm_name');
        const field = danger.getByLabel(`Type ${name} to confirm`);
        assert.equal(await field.getAttribute('aria-invalid'), 'true');
        assert.equal(await field.evaluate((el) => el.nextElementSibling?.id), 'confirm_name-error');
        assert.equal((await me(porter, apiKey)).status, 200, 'the app still exists');
        assert.equal(await textOf(page.locator('h1')), `${name} Unlisted`);

        await danger.getByLabel(`Type ${name} to confirm`).fill(name);
        await submit(page, danger.getByRole('button', { name: 'Delete app' }));
        const url = new URL(page.url());
        assert.equal(url.pathname, '/developer');
        assert.equal(url.search, '');
        const deleted = `${name} was deleted and every token it issued was revoked.`;
        assert.equal(await textOf(page.getByRole('status')), deleted);
        assert.equal(await page.getByRole('link', { name }).count(), 0, 'the app is not listed');
        assert.equal(await page.locator(`a[href="${appPath}"]`).count(), 0);
        assert.equal(await page.getByText('No apps yet.').isVisible(), true);
        await page.reload();
        assert.equal(await page.getByRole('status').count(), 0, 'the notice shows once');
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
      const url = new URL(page.url());
      assert.equal(url.pathname, '/developer');
      assert.equal(url.search, '');
      assert.equal(
        await textOf(page.getByRole('status')),
        'Test company created. Switch to it from the header to test installs of your apps.',
      );
      const listed = page.locator('section[aria-labelledby="test-h"] li');
      assert.deepEqual(await listed.allTextContents(), [`${testName} Test`]);
      assert.equal(await textOf(page.locator('h1')), `Developer portal · ${dev.company.name}`);
      // Post/Redirect/Get: a reload shows the notice no more and makes no second company.
      await page.reload();
      assert.equal(await page.getByRole('status').count(), 0);
      assert.deepEqual(await listed.allTextContents(), [`${testName} Test`]);

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

    it('creates a developer token, shows it once, and a reload neither shows it again nor makes another', async (t: TestContext) => {
      const dev = await makeDeveloper(porter);
      const { context, page, cspErrors, scriptErrors } = await openContext(browser, porter.url);
      t.after(() => context.close());
      await signIn(page, dev.email);
      await page.goto('/developer');
      const tokens = page.locator('section#token-form');
      assert.equal(await tokens.locator('tbody tr').count(), 0, 'no token yet');
      await tokens.getByLabel('Token name', { exact: true }).fill('CI deploy');
      await submit(page, tokens.getByRole('button', { name: 'Create developer token' }));

      const url = new URL(page.url());
      assert.equal(url.pathname, '/developer');
      assert.equal(url.search, '');
      const shown = page.locator('section[aria-label="New credential"]');
      assert.equal(await shown.getByRole('heading', { name: 'Developer token created' }).isVisible(), true);
      const token = await textOf(shown.locator('#token-value'));
      assert.match(token, /^porter_pt_[A-Za-z0-9_-]+$/);
      assert.equal(await copiedBy(page, shown.getByRole('button', { name: /^Copy Developer token/ })), token);
      const apps = await fetch(`${porter.url}/developer/v1/apps`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(apps.status, 200, 'the token works');
      const rows = tokens.locator('tbody tr');
      assert.equal(await rows.count(), 1);
      assert.equal(await textOf(rows.first().locator('td').first()), 'CI deploy');

      await page.reload();
      assert.equal(new URL(page.url()).pathname, '/developer');
      assert.equal(await shown.count(), 0, 'no new credential on reload');
      assert.equal((await page.content()).includes(token), false, 'the token is not shown again');
      assert.equal(await rows.count(), 1, 'the reload made no second token');
      const listed = await porter.services.credentials.listPersonalTokens(
        { kind: 'user', userId: dev.user.id, label: dev.email },
        dev.company.id,
      );
      assert.deepEqual(
        listed.map((l) => l.name),
        ['CI deploy'],
      );
      assert.deepEqual(cspErrors, []);
      assert.deepEqual(scriptErrors, []);
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
