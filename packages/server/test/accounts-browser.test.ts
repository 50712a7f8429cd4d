import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { callApi } from './helpers/api.js';
import { launchChromium, needsChromium, openWatchedPage, submit, textOf } from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { checkAtBothWidths } from './helpers/layout.js';
import { linkIn, Mailbox } from './helpers/mailbox.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

// The story of issue 14 as people click through it in Chromium, reading real mail from the
// test's own SMTP server: a founder signs up, verifies, creates a company and invites a
// teammate, who accepts and gets the role; the admin changes a role and removes a member, whose
// developer token then fails; a password is reset and the old session ends; every mailed link
// works once. Each page passes axe-core at desktop and phone width and fits a 375px phone.

const PASSWORD = 'correct horse battery';

const checkPage = (page: Page, name: string) => checkAtBothWidths(page, `accounts-${name}`);

async function click(page: Page, name: string) {
  await submit(page, page.getByRole('button', { name, exact: true }));
}

async function fill(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields))
    await page.getByLabel(label, { exact: true }).fill(value);
}

/** Opens a link that was already used: the page says it no longer works. */
async function expectDead(page: Page, link: string) {
  const res = await page.goto(link);
  assert.equal(res?.status(), 410, `${link} works only once`);
  assert.match(await textOf(page.getByRole('heading', { level: 1 })), /no longer works/);
}

forEachDialect('accounts in a browser', (dialect) => {
  describe('headless Chromium, real mail', needsChromium(), () => {
    let porter: TestPorter;
    let browser: Browser;
    let mailbox: Mailbox;
    const contexts: BrowserContext[] = [];
    const person = async () => {
      const watched = await openWatchedPage(browser, porter.url);
      contexts.push(watched.context);
      return watched.page;
    };
    let founder: Page;
    let teammate: Page;
    let companyName: string;

    before(async () => {
      mailbox = await new Mailbox().start();
      [porter, browser] = await Promise.all([
        startPorter(dialect, {
          ...mailbox.env,
          PORTER_SIGNUP: 'open',
          PORTER_REGIONS: '{"US":"https://api.us.example","EU":"https://api.eu.example"}',
        }),
        launchChromium(),
      ]);
      founder = await person();
      teammate = await person();
      companyName = `Lovelace Labs ${dialect.name}`;
    });
    after(async () => {
      for (const context of contexts) await context.close();
      await browser?.close();
      await porter?.close();
      await mailbox?.close();
    });

    it('signs up, verifies the address and creates the first company', async () => {
      await founder.goto('/sign-in');
      await founder.getByRole('link', { name: 'Create one' }).click();
      await checkPage(founder, 'sign-up');
      await fill(founder, { 'Your name': 'Ada Lovelace', Email: 'ada@example.test', Password: PASSWORD });
      await click(founder, 'Create account');
      assert.equal(new URL(founder.url()).pathname, '/sign-in');
      assert.match(await textOf(founder.getByRole('status')), /We sent a link to ada@example\.test/);
      await checkPage(founder, 'sign-in with notice');

      const link = linkIn(await mailbox.next('ada@example.test', /Confirm your e-mail/), '/verify-email');
      await founder.goto(link);
      await checkPage(founder, 'verify link');
      await click(founder, 'Confirm my address');
      assert.equal(new URL(founder.url()).pathname, '/welcome');
      await checkPage(founder, 'welcome');
      await fill(founder, { 'Company name': companyName });
      await founder.getByLabel('Region').selectOption('EU');
      await click(founder, 'Create company');
      assert.match(await textOf(founder.getByRole('status')), new RegExp(`${companyName} is ready`));
      assert.equal(await textOf(founder.getByTestId('active-company')), companyName);
      await expectDead(founder, link);
    });

    it('invites a teammate as admin, who makes an account on accepting and gets the role', async () => {
      await founder.goto('/members');
      await checkPage(founder, 'members');
      await fill(founder, { Email: 'grace@example.test' });
      await founder.getByLabel('Role', { exact: true }).selectOption('admin');
      await click(founder, 'Send invitation');
      assert.match(
        await textOf(founder.getByRole('status')),
        /Invitation sent to grace@example\.test as admin/,
      );
      await checkPage(founder, 'members with an invitation');

      const link = linkIn(await mailbox.next('grace@example.test', /invited you/), '/invitation');
      await teammate.goto(link);
      await checkPage(teammate, 'invitation');
      await fill(teammate, { 'Your name': 'Grace Hopper', Password: PASSWORD });
      await click(teammate, 'Create account and join');
      assert.equal(await textOf(teammate.getByTestId('active-company')), companyName);
      assert.match(await textOf(teammate.getByRole('row', { name: new RegExp(companyName) })), /admin/);
      await expectDead(teammate, link);
    });

    it('lets the admin demote a member, whose developer token then fails, and remove them', async () => {
      await founder.goto('/members');
      await fill(founder, { Email: 'linus@example.test' });
      await founder.getByLabel('Role', { exact: true }).selectOption('admin');
      await click(founder, 'Send invitation');
      const link = linkIn(await mailbox.next('linus@example.test', /invited you/), '/invitation');
      const linus = await person();
      await linus.goto(link);
      await fill(linus, { 'Your name': 'Linus', Password: PASSWORD });
      await click(linus, 'Create account and join');
      await linus.goto('/developer');
      await fill(linus, { 'Token name': 'deploy' });
      await click(linus, 'Create developer token');
      const token = await textOf(linus.locator('#token-value'));
      assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 200);

      await teammate.goto('/members');
      await teammate.getByLabel('Role of Linus').selectOption('member');
      await click(teammate, 'Change role of Linus');
      // Members may not hold developer tokens: the demotion revokes Linus's at once.
      assert.match(
        await textOf(teammate.getByRole('status')),
        /Role changed to member\. Their 1 developer token was revoked\./,
      );
      assert.equal((await callApi(porter, 'GET', '/developer/v1/apps', token)).status, 401);
      await click(teammate, 'Remove Linus');
      assert.match(await textOf(teammate.getByRole('status')), /Member removed/);
      assert.equal((await callApi(porter, 'GET', '/v1/me', token)).status, 401);
      await linus.goto('/');
      assert.equal(await textOf(linus.getByTestId('active-company')), 'No company');
    });

    it('resets a forgotten password with a mailed link; the old session ends', async () => {
      const stranger = await person();
      await stranger.goto('/sign-in');
      await stranger.getByRole('link', { name: 'Forgot your password?' }).click();
      await checkPage(stranger, 'forgot password');
      await fill(stranger, { Email: 'grace@example.test' });
      await click(stranger, 'Send the link');
      assert.match(await textOf(stranger.getByRole('status')), /If grace@example\.test has a Porter account/);
      const link = linkIn(
        await mailbox.next('grace@example.test', /Reset your Porter password/),
        '/password/reset',
      );
      await stranger.goto(link);
      await checkPage(stranger, 'reset password');
      await fill(stranger, { 'New password': 'a brand new password' });
      await click(stranger, 'Set the new password');
      assert.match(await textOf(stranger.getByRole('status')), /Your password is changed/);

      await teammate.goto('/members');
      assert.equal(new URL(teammate.url()).pathname, '/sign-in', 'the old session ended');
      await fill(teammate, { Email: 'grace@example.test', Password: 'a brand new password' });
      await click(teammate, 'Sign in');
      assert.equal(new URL(teammate.url()).pathname, '/members');
      await expectDead(stranger, link);
      await checkPage(stranger, 'dead link');
    });

    it('shows the account page with its sessions', async () => {
      await teammate.goto('/account');
      await checkPage(teammate, 'account');
      assert.match(await textOf(teammate.getByTestId('account-email')), /grace@example\.test/);
    });
  });
});
