import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callApi } from './helpers/api.js';
import {
  closeInstallStage,
  type InstallStage,
  needsChromium,
  openWatchedPage,
  startInstallStage,
} from './helpers/browser.js';
import { forEachDialect } from './helpers/dialects.js';
import { exchangeBody, makeDistributedApp, postToken } from './helpers/oauth.js';
import { makeUser } from './helpers/porter.js';

// The install as a customer clicks through it in Chromium, to a real app callback: the consent
// form's answer must reach the app (Chromium applies the page's CSP form-action to the redirect).
forEachDialect('install in a browser', (dialect) => {
  describe('headless Chromium', needsChromium(), () => {
    let { porter, browser, partnerApp } = {} as InstallStage;
    before(async () => ({ porter, browser, partnerApp } = await startInstallStage(dialect)));
    after(() => closeInstallStage({ porter, browser, partnerApp }));

    for (const decision of ['Authorize', 'Decline'] as const) {
      it(`${decision} takes the customer back to the app with the answer`, async (t) => {
        const partner = await makeDistributedApp(porter, { redirectUrls: [partnerApp.url] });
        const customer = await makeUser(porter, { company: 'Globex Retail' });
        const { context, page, cspErrors } = await openWatchedPage(browser, porter.url);
        t.after(() => context.close());
        await page.goto(`${partner.distributionUrl.replace(porter.url, '')}&state=s-${decision}`);
        assert.equal(new URL(page.url()).pathname, '/sign-in', 'signed out: sign in first');
        await page.getByLabel('Email', { exact: true }).fill(customer.email);
        await page.getByLabel('Password', { exact: true }).fill(customer.password);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.getByRole('button', { name: decision, exact: true }).waitFor();
        const before = partnerApp.received.length;
        await page.getByRole('button', { name: decision, exact: true }).click();
        await page.waitForURL((url) => url.href.startsWith(partnerApp.url), { timeout: 10_000 });
        assert.equal(partnerApp.received.length, before + 1, 'the app received the answer');
        const answer = partnerApp.received.at(-1) as URL;
        assert.equal(answer.searchParams.get('state'), `s-${decision}`);
        assert.equal(answer.searchParams.get('iss'), porter.url);
        assert.deepEqual(cspErrors, []);
        if (decision === 'Decline') {
          assert.equal(answer.searchParams.get('error'), 'access_denied');
          return;
        }
        const token = await postToken(porter, exchangeBody(partner, answer.searchParams.get('code') ?? ''));
        assert.equal(token.status, 200);
        const me = await callApi(porter, 'GET', '/v1/me', token.body.access_token);
        assert.equal(me.body.company.id, customer.company.id);
      });
    }
  });
});
