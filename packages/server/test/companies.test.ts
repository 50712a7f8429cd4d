import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

forEachDialect('header and company switcher', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('shows the user and every company of theirs in the header, and switches the active one', async () => {
    const { user, email, password, company } = await makeUser(porter, { company: 'Alpha Co' });
    const test = await porter.services.accounts.createOwnedCompany(user.id, {
      name: 'Alpha Co (Test)',
      isTest: true,
    });
    const client = new PageClient(porter.url);
    await client.signIn(email, password);
    const { html, csrf } = await client.page('/');
    assert.match(html, new RegExp(`data-testid="current-user">${user.name}`));
    assert.match(html, /<span data-testid="active-company">Alpha Co<\/span>/);
    assert.match(html, new RegExp(`value="${company.id}" aria-current="true"`));
    assert.match(html, new RegExp(`value="${test.id}" aria-current="false"`));

    const res = await client.post('/account/company', {
      _csrf: csrf,
      company_id: test.id,
      return_to: '/?from=switch',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/?from=switch');
    const after = await (await client.get('/')).text();
    assert.match(after, /<span data-testid="active-company">Alpha Co \(Test\)<\/span>/);
    assert.match(after, new RegExp(`value="${test.id}" aria-current="true"`));
  });

  it('does not switch into a company the user is not a member of', async () => {
    const me = await makeUser(porter);
    const stranger = await makeUser(porter, { company: 'Not Yours Inc' });
    const client = new PageClient(porter.url);
    await client.signIn(me.email, me.password);
    const { csrf } = await client.page('/');
    const res = await client.post('/account/company', { _csrf: csrf, company_id: stranger.company.id });
    assert.equal(res.status, 404);
    const home = await (await client.get('/')).text();
    assert.doesNotMatch(home, /Not Yours Inc/);
  });

  it('refuses a switch without CSRF token or company id', async () => {
    const me = await makeUser(porter);
    const client = new PageClient(porter.url);
    await client.signIn(me.email, me.password);
    assert.equal((await client.post('/account/company', { company_id: me.company.id })).status, 403);
    const { csrf } = await client.page('/');
    assert.equal((await client.post('/account/company', { _csrf: csrf })).status, 400);
  });

  it('keeps the active company per session: another session of the same user is unaffected', async () => {
    const { user, email, password, company } = await makeUser(porter, { company: 'Beta Co' });
    const other = await porter.services.accounts.createOwnedCompany(user.id, { name: 'Beta Co Two' });
    const a = new PageClient(porter.url);
    const b = new PageClient(porter.url);
    await a.signIn(email, password);
    await b.signIn(email, password);
    const { csrf } = await a.page('/');
    await a.post('/account/company', { _csrf: csrf, company_id: other.id });
    assert.match(await (await b.get('/')).text(), new RegExp(`value="${company.id}" aria-current="true"`));
  });
});
