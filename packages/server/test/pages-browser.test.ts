import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertAccessible } from './helpers/axe.js';
import { launchChromium, needsChromium, openWatchedPage, submit } from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { horizontalOverflow, screenshot, wordsSplitAcrossLines } from './helpers/layout.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

// Every page a person reaches, in headless Chromium: no serious or critical axe-core finding
// at desktop and phone width, no sideways scrolling on a 375px phone, no short word split
// mid-word (in a table cell or anywhere in the main content). Screenshots of each go to
// /tmp/shots for a person to look at.

const PASSWORD = 'correct horse battery';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 740 };
/** A word narrower than this (half a phone) never needs splitting; longer ones (URLs, IDs) may wrap. */
const SHORT_WORD_PX = PHONE.width / 2;

/**
 * Fails when a short word in the main content is split across lines ("owne|r", "2026-11-|27",
 * "sta|te"); longer ones (URLs, IDs, addresses) may wrap, and are listed as diagnostics.
 */
async function noSplitWords(t: TestContext, page: Page, where: string) {
  const split = await wordsSplitAcrossLines(page);
  for (const s of split.filter((s) => s.width > SHORT_WORD_PX))
    t.diagnostic(`${where}: long word wrapped: ${s.word} (${s.width}px) in ${s.where}`);
  const short = split.filter((s) => s.width <= SHORT_WORD_PX).map((s) => `${s.word} in ${s.where}`);
  assert.deepEqual(short, [], `${where}: words split mid-word at ${page.viewportSize()?.width}px`);
}

/** What the pages show: a developer with a live and a test company, two apps and a token. */
async function seed(porter: TestPorter) {
  const { accounts, apps, credentials } = porter.services;
  const email = 'ada.lovelace@example.test';
  const user = await accounts.createUser({ email, password: PASSWORD, name: 'Ada Lovelace' });
  const company = await accounts.createOwnedCompany(user.id, { name: 'Northwind Traders' });
  await accounts.createOwnedCompany(user.id, { name: 'Northwind Traders Test', isTest: true });
  const actor = { kind: 'user', userId: user.id, label: email } as const;
  const { app: privateApp } = await apps.create(actor, company.id, {
    name: 'Weather Sync',
    description: 'Puts the forecast into your calendar every morning.',
    scopes: ['events:write'],
    homepage_url: 'https://weather.example',
  });
  const { app: distributed } = await apps.create(actor, company.id, {
    name: 'Invoice Bridge',
    description: 'Sends paid invoices to your accounting.',
    scopes: ['events:write', 'subscriptions:write'],
  });
  const { app: installable } = await apps.enableDistribution(actor, company.id, distributed.id, {
    redirect_urls: ['https://invoices.example/oauth/callback'],
  });
  await credentials.createPersonalToken(actor, company.id, 'CI deploy');
  return { email, privateApp, distributed, installUrl: installable.distribution_url ?? '' };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await submit(page, page.getByRole('button', { name: 'Sign in', exact: true }));
}

const TABS = ['', '/credentials', '/distribution', '/audit', '/danger'] as const;
const tabName = (path: string) => path.slice(1) || 'settings';

/** The pages to check: a name (also the screenshot's), who looks, and how to get there. */
const PAGES: { name: string; signedOut?: boolean; open(page: Page, seeded: Seeded): Promise<unknown> }[] = [
  { name: 'sign-in', signedOut: true, open: (page) => page.goto('/sign-in') },
  {
    name: 'sign-in-refused',
    signedOut: true,
    async open(page, { email }) {
      await page.goto('/sign-in');
      await fillSignIn(page, email, 'not the password');
      await page.getByRole('alert').waitFor();
    },
  },
  { name: 'sign-up', signedOut: true, open: (page) => page.goto('/sign-up') },
  { name: 'forgot-password', signedOut: true, open: (page) => page.goto('/password/forgot') },
  { name: 'home', open: (page) => page.goto('/') },
  { name: 'account', open: (page) => page.goto('/account') },
  { name: 'members', open: (page) => page.goto('/members') },
  { name: 'developer', open: (page) => page.goto('/developer') },
  { name: 'new-app', open: (page) => page.goto('/developer/apps/new') },
  {
    name: 'new-app-refused',
    async open(page) {
      await page.goto('/developer/apps/new');
      await page.getByLabel('App name', { exact: true }).fill('Harbour Tides');
      await page.getByLabel('Redirect URLs', { exact: true }).fill('http://tides.example/cb');
      await page.getByLabel('Homepage URL', { exact: true }).fill('ftp://tides.example');
      await submit(page, page.getByRole('button', { name: 'Create app', exact: true }));
      await page.getByRole('alert').waitFor();
    },
  },
  ...(['privateApp', 'distributed'] as const).flatMap((which) =>
    TABS.map((tab) => ({
      name: `${which === 'privateApp' ? 'private' : 'distributed'}-app-${tabName(tab)}`,
      open: (page: Page, seeded: Seeded) => page.goto(`/developer/apps/${seeded[which].id}${tab}`),
    })),
  ),
  // The install flow: the consent page offers the test company and explains why the app's own
  // developer company cannot install it.
  {
    name: 'consent',
    async open(page, { installUrl }) {
      await page.goto(installUrl.replace(/^https?:\/\/[^/]+/, ''));
      await page.getByRole('button', { name: 'Authorize' }).waitFor();
    },
  },
  {
    name: 'install-link-broken',
    open: (page) =>
      page.goto('/integrations/oauth-install?client_id=nope&redirect_uri=https%3A%2F%2Fx.example%2Fcb'),
  },
  { name: 'installed-apps', open: (page) => page.goto('/installed-apps') },
  {
    name: 'docs',
    async open(page) {
      await page.goto('/docs');
      await page.getByText('/developer/v1/apps', { exact: true }).first().waitFor({ timeout: 8000 });
    },
  },
];

forEachDialect('every page in a browser', (dialect) => {
  describe('headless Chromium', needsChromium(), () => {
    let porter: TestPorter;
    let browser: Browser;
    let seeded: Seeded;
    const contexts: BrowserContext[] = [];
    let signedIn: Page;
    let signedOut: Page;

    before(async () => {
      [porter, browser] = await Promise.all([startPorter(dialect), launchChromium()]);
      seeded = await seed(porter);
      const visitor = await openWatchedPage(browser, porter.url);
      const developer = await openWatchedPage(browser, porter.url);
      contexts.push(visitor.context, developer.context);
      signedOut = visitor.page;
      signedIn = developer.page;
      await signedIn.goto('/sign-in');
      await fillSignIn(signedIn, seeded.email, PASSWORD);
      assert.equal(new URL(signedIn.url()).pathname, '/');
    });
    after(async () => {
      for (const context of contexts) await context.close();
      await browser?.close();
      await porter?.close();
    });

    for (const { name, signedOut: anonymous, open } of PAGES) {
      it(`${name}: passes axe-core, splits no word and fits a 375px phone`, async (t: TestContext) => {
        const page = anonymous ? signedOut : signedIn;
        await page.setViewportSize(DESKTOP);
        await open(page, seeded);
        const where = `${name} (${new URL(page.url()).pathname})`;
        // The phone checks resize the page rather than reload it: a flash shows only once.
        await screenshot(page, `${dialect.name}-${name}-1280`);
        await t.test('no serious or critical axe-core violation at 1280px', () =>
          assertAccessible(page, where),
        );
        await t.test('no short word split across lines at 1280px', () => noSplitWords(t, page, where));
        await page.setViewportSize(PHONE);
        await screenshot(page, `${dialect.name}-${name}-375`);
        await t.test('no horizontal scrolling at 375px', async () => {
          const { scrollWidth, offenders } = await horizontalOverflow(page);
          assert.ok(
            scrollWidth <= PHONE.width,
            `${where} is ${scrollWidth}px wide at 375px; past the edge: ${offenders.join(', ')}`,
          );
        });
        await t.test('no short word split across lines at 375px', () => noSplitWords(t, page, where));
        await t.test('no serious or critical axe-core violation at 375px', () =>
          assertAccessible(page, where),
        );
      });
    }
  });
});
