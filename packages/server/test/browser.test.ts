import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, needsChromium, openWatchedPage, textOf } from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { screenshot } from './helpers/layout.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

const PASSWORD = 'correct horse battery';
let counter = 0;

/** A user in two companies: a live one (listed first, so active at sign-in) and a test one. */
async function makeMemberOfTwo(porter: TestPorter) {
  counter += 1;
  const email = `browser${counter}-${Date.now()}@example.test`;
  const name = `Ada Browser ${counter}`;
  const { accounts } = porter.services;
  const user = await accounts.createUser({ email, password: PASSWORD, name });
  const live = await accounts.createOwnedCompany(user.id, { name: `Acme Live ${counter}` });
  const sandbox = await accounts.createOwnedCompany(user.id, {
    name: `Acme Sandbox ${counter}`,
    isTest: true,
  });
  return { email, name, live, sandbox };
}

/** A page in a fresh browser context (no cookies), closed after the test, with its console watched. */
async function openPage(t: TestContext, browser: Browser, baseURL: string) {
  const { context, page, cspErrors, scriptErrors } = await openWatchedPage(browser, baseURL);
  t.after(() => context.close());
  return { page, cspErrors, scriptErrors };
}

async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Opens `/`, follows the redirect to sign-in and signs in there, landing back on `/`. */
async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await fillSignIn(page, email, password);
  await page.waitForURL((url) => url.pathname === '/');
}

/** The active company as the page shows it: in the switcher, and the marked row of the table. */
async function shownActiveCompany(page: Page) {
  const rows = page.locator('tbody tr[aria-current="true"]');
  assert.equal(await rows.count(), 1, 'exactly one row is marked current');
  return {
    switcher: await textOf(page.getByTestId('active-company')),
    row: await textOf(rows),
  };
}

/** Inline scripts, inline styles and event-handler attributes: what the CSP exists to forbid. */
function inlineCode(page: Page) {
  return page.evaluate(() => {
    const found = [...document.querySelectorAll('script:not([src]), style')].map((el) => el.tagName);
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name) || a.name === 'style' || /^\s*javascript:/i.test(a.value)) {
          found.push(`${el.tagName} ${a.name}`);
        }
      }
    }
    return found;
  });
}

forEachDialect('in a browser', (dialect) => {
  describe('headless Chromium', needsChromium(), () => {
    let porter: TestPorter | undefined;
    let browser: Browser | undefined;
    const open = (t: TestContext) => openPage(t, browser as Browser, (porter as TestPorter).url);
    const member = () => makeMemberOfTwo(porter as TestPorter);

    before(async () => {
      [porter, browser] = await Promise.all([startPorter(dialect), launchChromium()]);
    });
    after(async () => {
      await browser?.close();
      await porter?.close();
    });

    it('signs in through the form and shows the user and their active company', async (t) => {
      const { email, name, live, sandbox } = await member();
      const { page, cspErrors } = await open(t);
      await page.goto('/');
      const signInUrl = new URL(page.url());
      assert.equal(signInUrl.pathname, '/sign-in');
      assert.equal(signInUrl.searchParams.get('return_to'), '/');
      await fillSignIn(page, email, PASSWORD);
      await page.waitForURL((url) => url.pathname === '/');
      assert.equal(await textOf(page.getByTestId('current-user')), `${name} (${email})`);
      const switcher = page.locator('details.switcher');
      assert.match(await textOf(switcher.locator('summary')), /^Switch account\. Active company: /);
      const active = await shownActiveCompany(page);
      assert.equal(active.switcher, live.name);
      assert.ok(active.row.startsWith(`${live.name} Active owner`), active.row);
      const other = await textOf(page.locator('tbody tr:not([aria-current])'));
      assert.ok(other.startsWith(`${sandbox.name} Test owner`), other);
      assert.deepEqual(cspErrors, []);
    });

    it('switches the active company from the header, and it stays active on reload', async (t) => {
      const { email, live, sandbox } = await member();
      const { page, cspErrors } = await open(t);
      await signIn(page, email);
      // CSS locators, not getByRole: the buttons stay in the DOM while the menu is closed.
      const menuButton = (company: string) =>
        page.locator('details.switcher button[name="company_id"]', { hasText: company });
      const sandboxButton = menuButton(sandbox.name);
      const liveButton = menuButton(live.name);
      assert.equal(await sandboxButton.isVisible(), false, 'the menu starts closed');
      await page.getByTestId('switcher').click();
      assert.equal(await sandboxButton.isVisible(), true, 'the summary opens the menu');
      assert.equal(await liveButton.getAttribute('aria-current'), 'true');
      const navigated = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
      await sandboxButton.click();
      await navigated;
      await page.waitForLoadState();
      assert.equal(new URL(page.url()).pathname, '/', 'back where the switch was made');
      for (const when of ['after switching', 'after reload']) {
        const active = await shownActiveCompany(page);
        assert.equal(active.switcher, sandbox.name, when);
        assert.ok(active.row.startsWith(`${sandbox.name} Test Active owner`), `${when}: ${active.row}`);
        assert.equal(await sandboxButton.getAttribute('aria-current'), 'true', when);
        assert.equal(await liveButton.getAttribute('aria-current'), 'false', when);
        if (when === 'after switching') await page.reload();
      }
      assert.deepEqual(cspErrors, []);
    });

    it('signs out with the header button and guards the start page again', async (t) => {
      const { email } = await member();
      const { page, cspErrors } = await open(t);
      await signIn(page, email);
      const [session] = (await page.context().cookies()).filter((c) => c.name === 'porter_session');
      assert.ok(session, 'signed in with a session cookie');
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/sign-in');
      assert.equal(await page.getByTestId('current-user').count(), 0);
      const cookies = await page.context().cookies();
      assert.equal(
        cookies.find((c) => c.name === 'porter_session'),
        undefined,
      );
      await page.goto('/');
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.equal(await page.getByLabel('Password', { exact: true }).isVisible(), true);
      // The server forgot the session too: putting the old cookie back does not sign in.
      await page.context().addCookies([session]);
      await page.goto('/');
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.deepEqual(cspErrors, []);
    });

    it('shows a wrong password once, back on the sign-in page it came from, and the form still works after', async (t) => {
      const { email, name } = await member();
      const { page, cspErrors } = await open(t);
      await page.goto('/developer');
      assert.equal(new URL(page.url()).searchParams.get('return_to'), '/developer');
      const posted = page.waitForResponse((r) => r.request().method() === 'POST');
      await fillSignIn(page, email, 'not the right password');
      assert.equal((await posted).status(), 303, 'Post/Redirect/Get: the refusal is a redirect');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.equal((await alert.textContent())?.trim(), 'Email or password is incorrect.');
      const back = new URL(page.url());
      assert.equal(back.pathname, '/sign-in');
      assert.equal(back.searchParams.get('return_to'), '/developer', 'where to go after is kept');
      const emailField = page.getByLabel('Email', { exact: true });
      assert.equal(await emailField.inputValue(), email, 'the email is kept');
      assert.equal(await emailField.getAttribute('aria-describedby'), await alert.getAttribute('id'));
      assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '');
      assert.equal((await page.content()).includes('not the right password'), false);
      const cookies = await page.context().cookies();
      assert.equal(
        cookies.find((c) => c.name === 'porter_session'),
        undefined,
      );
      // The alert is shown once: a reload shows the plain form and repeats no attempt.
      await page.reload();
      assert.equal(new URL(page.url()).pathname, '/sign-in');
      assert.equal(await alert.count(), 0);
      assert.equal(await emailField.getAttribute('aria-describedby'), null);
      await fillSignIn(page, email, PASSWORD);
      await page.waitForURL((url) => url.pathname === '/developer');
      assert.equal(await textOf(page.getByTestId('current-user')), `${name} (${email})`);
      assert.deepEqual(cspErrors, []);
    });

    it('sends a strict CSP, has no inline code and logs no CSP violation on any page', async (t) => {
      const { email } = await member();
      const { page, cspErrors, scriptErrors } = await open(t);
      const documents: { url: string; csp: string }[] = [];
      page.on('response', (res) => {
        if (res.request().resourceType() !== 'document') return;
        documents.push({ url: res.url(), csp: res.headers()['content-security-policy'] ?? '' });
      });
      const check = async () => assert.deepEqual(await inlineCode(page), [], page.url());
      await page.goto('/sign-in');
      await check();
      await fillSignIn(page, email, 'wrong password!');
      await page.getByRole('alert').waitFor();
      await check();
      await fillSignIn(page, email, PASSWORD);
      await page.waitForURL((url) => url.pathname === '/');
      await check();
      await page.getByTestId('switcher').click();
      await check();
      await page.goto('/no-such-page');
      await check();
      // Sign-in page, failed sign-in and the sign-in page it leads back to, the sign-in, the
      // start page, the 404 page.
      assert.ok(documents.length >= 6, `documents: ${documents.map((d) => d.url).join(', ')}`);
      for (const { url, csp } of documents) {
        assert.match(csp, /frame-ancestors 'none'/, url);
        assert.match(csp, /script-src 'self'(;|$)/, url);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, url);
      }
      assert.deepEqual(cspErrors, []);
      assert.deepEqual(scriptErrors, []);
    });

    it('blocks an inline script and reports it in the console (the check above can fail)', async (t) => {
      const { page, cspErrors } = await open(t);
      await page.goto('/sign-in');
      const logged = page.waitForEvent('console', (m) => m.type() === 'error');
      const ran = await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.injectedRan = true';
        document.head.append(s);
        return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
      });
      assert.equal(ran, false, 'the CSP stops inline script');
      await logged;
      assert.equal(cspErrors.length, 1, 'the console listener sees the violation');
      assert.match(cspErrors[0] ?? '', /inline script/);
    });

    it('refuses to be framed by another page', async (t) => {
      const { page } = await open(t);
      const base = (porter as TestPorter).url;
      // A control frame from the same origin but without Porter's headers: framing itself works.
      await page.route(`${base}/frame-control`, (route) =>
        route.fulfill({ contentType: 'text/html', body: '<p id="control">framed</p>' }),
      );
      await page.goto('about:blank');
      await page.setContent(
        `<iframe src="${base}/frame-control"></iframe><iframe src="${base}/sign-in"></iframe>`,
      );
      const [control, porterFrame] = page.frames().slice(1);
      assert.ok(control && porterFrame);
      assert.equal(await control.locator('#control').count(), 1, 'the control page renders in a frame');
      assert.equal(await porterFrame.locator('#email').count(), 0, 'the sign-in form does not');
      assert.match(porterFrame.url(), /^chrome-error:/);
    });

    it('lays out the signed-in start page on a desktop and a 375px phone', async (t) => {
      const { email } = await member();
      const { page, cspErrors } = await open(t);
      await signIn(page, email);
      await screenshot(page, `${dialect.name}-start-page-1280`);
      await page.setViewportSize({ width: 375, height: 740 });
      await page.reload();
      await screenshot(page, `${dialect.name}-start-page-375`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `no horizontal scrolling at 375px (page is ${width}px wide)`);
      assert.equal(await page.getByTestId('current-user').isVisible(), true);
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).isVisible(), true);
      assert.deepEqual(cspErrors, []);
    });

    it('keeps the open company menu inside a 375px screen', async (t) => {
      const { email } = await member();
      const { page } = await open(t);
      await page.setViewportSize({ width: 375, height: 740 });
      await signIn(page, email);
      await page.getByTestId('switcher').click();
      const box = await page.locator('details.switcher .menu').boundingBox();
      assert.ok(box);
      assert.ok(box.x >= 0 && box.x + box.width <= 375, `menu spans ${box.x}..${box.x + box.width}px`);
    });
  });
});
