import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { authorizeCode, exchangeBody, makeCustomer, makeDistributedApp, postToken } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

/** The rows of a chart's table: day and its numbers, in the page's order. */
function chartRows(page: string, id: string): [string, number[]][] {
  const figure = new RegExp(`<figure class="chart" id="${id}">([\\s\\S]*?)</figure>`).exec(page)?.[1] ?? '';
  return [...figure.matchAll(/<tr><th scope="row">([0-9-]{10})<\/th>((?:<td>\d+<\/td>)+)<\/tr>/g)].map(
    (m) => [m[1] ?? '', [...(m[2] ?? '').matchAll(/<td>(\d+)<\/td>/g)].map((n) => Number(n[1]))],
  );
}

forEachDialect('app activity charts', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('counts installs and uninstalls per day across a reinstall, and API calls by status class', async () => {
    const partner = await makeDistributedApp(porter, { scopes: ['events:write'] });
    const install = async (customer: Awaited<ReturnType<typeof makeCustomer>>) => {
      const { code } = await authorizeCode(customer.client, partner.distributionUrl);
      const token = await postToken(porter, exchangeBody(partner, code));
      assert.equal(token.status, 200, JSON.stringify(token.body));
      return token.body;
    };
    const first = await makeCustomer(porter, { company: 'First Customer' });
    const second = await makeCustomer(porter, { company: 'Second Customer' });
    const gone = await install(first);
    const kept = await install(second);
    const actor = { kind: 'user' as const, userId: first.user.id, label: first.email };
    await porter.services.installations.uninstall(actor, first.company.id, gone.installation.id);
    await install(first);

    for (let i = 0; i < 3; i++)
      assert.equal((await callApi(porter, 'GET', '/v1/me', kept.access_token)).status, 200);
    assert.equal((await callApi(porter, 'GET', '/v1/me', partner.apiKey)).status, 200);
    for (let i = 0; i < 2; i++)
      assert.equal((await callApi(porter, 'POST', '/v1/events/custom', kept.access_token, {})).status, 400);
    // A revoked token names no app: it is not the app's call.
    assert.equal((await callApi(porter, 'GET', '/v1/me', gone.access_token)).status, 401);
    await porter.services.usage.flush();

    const dev = new PageClient(porter.url);
    await dev.signIn(partner.dev.email, partner.dev.password);
    const { res, html } = await dev.page(`/developer/apps/${partner.app.id}/activity`);
    assert.equal(res.status, 200);
    const today = new Date().toISOString().slice(0, 10);
    const installs = chartRows(html, 'installs-chart');
    assert.equal(installs.length, 30, 'thirty days, zero-filled');
    assert.deepEqual(installs.at(-1), [today, [3, 1]]);
    assert.ok(installs.slice(0, -1).every(([, n]) => n.every((v) => v === 0)));
    const calls = chartRows(html, 'calls-chart');
    assert.equal(calls.length, 30);
    assert.deepEqual(calls.at(-1), [today, [4, 2, 0]]);
    assert.equal(installs[0]?.[0], new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10));

    // Drawn on the server, described for screen readers, and nothing the CSP would block.
    assert.match(
      html,
      /<svg class="chart-svg" viewBox="[^"]+" role="img" aria-labelledby="installs-chart-title installs-chart-desc">/,
    );
    assert.match(html, /<desc id="installs-chart-desc">[^<]*Installs: 3, Uninstalls: 1\./);
    assert.match(
      html,
      /<desc id="calls-chart-desc">[^<]*Succeeded \(2xx\): 4, Client errors \(4xx\): 2, Server errors \(5xx\): 0\./,
    );
    assert.doesNotMatch(html, /\sstyle=|<style|<script(?! src)/);
  });
});
