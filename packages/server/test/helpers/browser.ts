import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import type { TestDialect } from './dialects.js';
import { startCallbackServer } from './oauth.js';
import { startPorter, type TestPorter } from './porter.js';

/** Where Debian's `chromium` package puts the browser; the tests use the system one, not a download. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

// Headless, and quiet: no updater, sync or background requests that could reach the network.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

let warned = false;

/**
 * Options for a suite that needs Chromium: `{}` when it is installed. When it is missing the
 * suite is skipped with a loud warning, except on CI, where a missing browser is a failure.
 */
export function needsChromium(): { skip?: string } {
  if (existsSync(CHROMIUM_PATH)) return {};
  const reason = `Chromium is not installed at ${CHROMIUM_PATH}`;
  if (process.env.CI)
    throw new Error(`${reason}; the browser tests must run on CI (apt-get install chromium).`);
  if (!warned) {
    warned = true;
    const bar = '!'.repeat(78);
    process.stderr.write(
      `\n${bar}\n!!  BROWSER TESTS SKIPPED: ${reason}.\n!!  Install it (apt-get install chromium) to run them.\n${bar}\n\n`,
    );
  }
  return { skip: `${reason}: browser tests skipped` };
}

/** Launches the system Chromium headless; pair with needsChromium() so a missing one is reported. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** What a browser install test runs against: Porter, Chromium and a stand-in app callback. */
export interface InstallStage {
  porter: TestPorter;
  browser: Browser;
  partnerApp: Awaited<ReturnType<typeof startCallbackServer>>;
}

/** Starts the three together; when one fails, the app callback already started is closed. */
export async function startInstallStage(dialect: TestDialect): Promise<InstallStage> {
  const partnerApp = await startCallbackServer();
  try {
    const [porter, browser] = await Promise.all([startPorter(dialect), launchChromium()]);
    return { porter, browser, partnerApp };
  } catch (err) {
    await partnerApp.close();
    throw err;
  }
}

/** Stops what startInstallStage started (any part may be missing when a start failed). */
export async function closeInstallStage(stage: Partial<InstallStage>) {
  await stage.browser?.close();
  await stage.porter?.close();
  await stage.partnerApp?.close();
}

/** A fresh context (no cookies) and page, with CSP violations and script errors collected. */
export async function openWatchedPage(
  browser: import('playwright-core').Browser,
  baseURL: string,
  opts: { clipboard?: boolean } = {},
) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(10_000);
  if (opts.clipboard)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const page = await context.newPage();
  const cspErrors: string[] = [];
  const scriptErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  page.on('pageerror', (e) => scriptErrors.push(e.message));
  return { context, page, cspErrors, scriptErrors };
}

/** The text of one element as a reader sees it: whitespace collapsed. */
export async function textOf(locator: Locator) {
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Clicks a submit button and waits for the page its form leads to (after any redirect). */
export async function submit(page: Page, button: Locator) {
  const navigated = page.waitForEvent('framenavigated', (f) => f === page.mainFrame());
  await button.click();
  await navigated;
  await page.waitForLoadState();
}

/** Signs a person in through Porter's sign-in page and waits for where it leads. */
export async function signInAs(page: Page, who: { email: string; password: string }) {
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await submit(page, page.getByRole('button', { name: 'Sign in', exact: true }));
}
