import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Actor } from '../src/audit/service.js';
import { ConflictError, ForbiddenError, ValidationError } from '../src/lib/errors.js';
import { callApi, expectStatusWithin } from './helpers/api.js';
import { PageClient } from './helpers/browserless.js';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import {
  authorizeCode,
  exchangeBody,
  makeAppCredentials,
  makeCustomer,
  openConsent,
  postToken,
} from './helpers/oauth.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';
import { type Receiver, startReceiver } from './helpers/webhook-receiver.js';

// The admin area (issue 16 item 3) over HTTP, the services and the CLI: every app and company,
// suspension and its effect on every credential, and the audit log's filters.

/** A platform admin, signed in with a cookie-keeping client. */
async function makeAdmin(porter: TestPorter) {
  const person = await makeUser(porter, { company: 'Porter Ops' });
  await porter.services.accounts.setPlatformAdmin(person.email, true);
  const client = new PageClient(porter.url);
  await client.signIn(person.email, person.password);
  const actor: Actor = { kind: 'user', userId: person.user.id, label: person.email };
  return { ...person, client, actor };
}

/** The field error a refused filter or form shows next to `field`. */
function fieldErrorOf(html: string, field: string) {
  assert.match(html, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), `${field} is marked invalid`);
  return /<p class="field-error" id="[^"]+-error">([^<]*)</.exec(
    html.slice(html.indexOf(`id="${field}"`)),
  )?.[1];
}

forEachDialect('the admin area: apps, suspension, companies and the audit log', (dialect) => {
  let porter: TestPorter;
  let receiver: Receiver;
  let env: NodeJS.ProcessEnv;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;
  before(async () => {
    receiver = await startReceiver();
    porter = await startPorter(dialect, {
      PORTER_WEBHOOKS_ALLOW_PRIVATE: '1',
      PORTER_WEBHOOKS_POLL_MS: '100',
    });
    env = { DATABASE_URL: porter.database.url, PORTER_PUBLIC_URL: porter.url };
    admin = await makeAdmin(porter);
  });
  after(async () => {
    await porter?.close();
    await receiver?.close();
  });

  it('answers 404 on every admin page to anyone else, and the services refuse them', async () => {
    const creds = await makeAppCredentials(porter, ['events:write'], 'Hidden Admin');
    const person = await makeUser(porter);
    const browser = new PageClient(porter.url);
    await browser.signIn(person.email, person.password);
    const appPage = `/admin/apps/${creds.partner.app.id}`;
    const pages = [
      '/admin/apps',
      appPage,
      '/admin/companies',
      `/admin/companies/${person.company.id}`,
      '/admin/audit',
      '/admin/audit?action=app.',
    ];
    for (const path of pages) assert.equal((await browser.get(path)).status, 404, path);
    const { csrf } = await browser.page('/developer');
    const post = await browser.post(`${appPage}/suspend`, { _csrf: csrf, reason: 'no', confirm: 'yes' });
    assert.equal(post.status, 404);
    assert.equal((await browser.post(`${appPage}/unsuspend`, { _csrf: csrf })).status, 404);
    for (const path of pages)
      assert.equal((await admin.client.get(path)).status, 200, `${path} for the admin`);

    const { admin: service } = porter.services;
    const actor: Actor = { kind: 'user', userId: person.user.id, label: person.email };
    const refusals = [
      () => service.apps(actor, {}),
      () => service.app(actor, creds.partner.app.id),
      () => service.suspend(actor, creds.partner.app.id, { reason: 'no' }),
      () => service.unsuspend(actor, creds.partner.app.id),
      () => service.companies(actor, {}),
      () => service.company(actor, person.company.id),
      () => service.audit(actor, {}),
    ];
    for (const refused of refusals) await assert.rejects(refused(), ForbiddenError);
    assert.equal((await callApi(porter, 'GET', '/v1/me', creds.api_key.token)).status, 200, 'not suspended');
  });

  it('lists every app with its developer, status and live installs; filters by status and searches', async () => {
    const creds = await makeAppCredentials(porter, ['events:write'], 'Listed Zebra');
    const dev = creds.partner.dev;
    const actor = { kind: 'user' as const, userId: dev.user.id, label: dev.email };
    const { app: privateApp } = await porter.services.apps.create(actor, dev.company.id, {
      name: 'Listed Yak',
      scopes: ['events:write'],
    });
    const { admin: service } = porter.services;
    const zebra = (await service.apps(admin.actor, { q: 'listed zeb' })).items;
    assert.deepEqual(
      zebra.map((a) => [a.name, a.status, a.installs, a.company_name]),
      [['Listed Zebra', 'unlisted', 1, 'Partner Apps']],
    );
    const byClientId = await service.apps(admin.actor, { q: creds.partner.clientId });
    assert.deepEqual(
      byClientId.items.map((a) => a.id),
      [creds.partner.app.id],
    );
    const unlisted = (await service.apps(admin.actor, { status: 'unlisted', q: 'Listed' })).items;
    assert.deepEqual(
      unlisted.map((a) => a.name),
      ['Listed Zebra'],
    );
    const privates = (await service.apps(admin.actor, { status: 'private', q: 'listed' })).items;
    assert.deepEqual(
      privates.map((a) => a.id),
      [privateApp.id],
    );
    // A search's LIKE wildcards are taken literally.
    assert.equal((await service.apps(admin.actor, { q: 'Listed%' })).items.length, 0);

    const { html } = await admin.client.page('/admin/apps?q=Listed+Zebra');
    assert.match(html, /Listed Zebra<\/a>/);
    assert.doesNotMatch(html, /Listed Yak/);
    assert.match(html, /data-testid="installs">1</);
    assert.match(html, new RegExp(`href="/admin/companies/${dev.company.id}">Partner Apps`));

    const bad = await admin.client.page('/admin/apps?status=frozen&page=0');
    assert.equal(bad.res.status, 400);
    assert.match(fieldErrorOf(bad.html, 'status') ?? '', /must be one of/);
    assert.match(bad.html, /Please correct these 2 fields/);

    await porter.services.apps.delete(actor, dev.company.id, privateApp.id);
    assert.equal(
      (await service.apps(admin.actor, { q: 'Listed Yak' })).items.length,
      0,
      'deleted: not listed',
    );
  });

  it('pages the app list 50 at a time', async () => {
    const dev = await makeUser(porter, { company: 'Many Apps' });
    const actor = { kind: 'user' as const, userId: dev.user.id, label: dev.email };
    for (let i = 0; i < 51; i++)
      await porter.services.apps.create(actor, dev.company.id, {
        name: `Paged ${i}`,
        scopes: ['events:write'],
      });
    const first = await porter.services.admin.apps(admin.actor, { q: 'Paged ' });
    assert.equal(first.items.length, 50);
    assert.equal(first.hasNext, true);
    const second = await porter.services.admin.apps(admin.actor, { q: 'Paged ', page: '2' });
    assert.equal(second.items.length, 1);
    assert.equal(second.hasNext, false);
    const names = new Set([...first.items, ...second.items].map((a) => a.name));
    assert.equal(names.size, 51, 'every app once');
    const { html } = await admin.client.page('/admin/apps?q=Paged');
    assert.match(html, /href="\/admin\/apps\?q=Paged&amp;page=2" rel="next"/);
  });

  it('suspends: the API key and the access token are refused at once, installs and exchanges too; unsuspending restores them', async () => {
    const creds = await makeAppCredentials(porter, ['events:write'], 'Suspend Me');
    const { partner } = creds;
    await porter.services.apps.update(partner.actor, partner.dev.company.id, partner.app.id, {
      webhook_url: receiver.url('/suspend-me'),
    });
    // A second customer got a code before the suspension; its exchange comes after.
    const late = await makeCustomer(porter, { company: 'Late Customer' });
    const { code } = await authorizeCode(late.client, partner.distributionUrl);
    assert.ok(code);
    for (const c of [creds.api_key, creds.access_token])
      assert.equal((await callApi(porter, 'GET', '/v1/me', c.token)).status, 200);

    // Refused forms: the reason and the confirmation are required.
    const appPage = `/admin/apps/${partner.app.id}`;
    const { csrf } = await admin.client.page(appPage);
    const noReason = await admin.client.submit(`${appPage}/suspend`, {
      _csrf: csrf,
      reason: ' ',
      confirm: 'yes',
    });
    assert.match(fieldErrorOf(noReason.html, 'reason') ?? '', /is required/);
    const unconfirmed = await admin.client.submit(`${appPage}/suspend`, { _csrf: csrf, reason: 'Spam' });
    assert.match(fieldErrorOf(unconfirmed.html, 'confirm') ?? '', /confirm/);
    assert.equal((await callApi(porter, 'GET', '/v1/me', creds.api_key.token)).status, 200, 'still live');

    const reason = 'Sends spam to <customers> & their subscribers';
    const done = await admin.client.submit(`${appPage}/suspend`, { _csrf: csrf, reason, confirm: 'yes' });
    assert.equal(done.path, appPage);
    assert.match(done.html, /Suspend Me is suspended/);
    assert.match(done.html, /class="badge suspended"/);
    assert.match(done.html, /Sends spam to &lt;customers&gt; &amp; their subscribers/);
    // At once, in this process: no waiting for a cache to expire.
    for (const c of [creds.api_key, creds.access_token]) {
      const me = await callApi(porter, 'GET', '/v1/me', c.token);
      assert.equal(me.status, 401);
      assert.match(me.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    }
    const exchanged = await postToken(porter, exchangeBody(partner, code));
    assert.equal(exchanged.status, 400);
    assert.equal(exchanged.body.error, 'unauthorized_client');
    const another = await makeCustomer(porter, { company: 'Another Customer' });
    // RFC 6749 §4.1.2.1: the client is known and the redirect URI registered, so the refusal is a redirect.
    const install = await openConsent(another.client, partner.distributionUrl);
    assert.equal(install.requestId, '', 'no consent page');
    const refusal = new URL(install.res.headers.get('location') ?? '/', porter.url);
    assert.equal(`${refusal.origin}${refusal.pathname}`, partner.redirectUri.split('?')[0]);
    assert.equal(refusal.searchParams.get('error'), 'unauthorized_client');

    // The live installation is told, by a signed webhook.
    const deliveries = await receiver.waitFor('/suspend-me', 1);
    assert.equal(deliveries.at(-1)?.event.type, 'app.suspended');
    assert.equal(deliveries.at(-1)?.event.data.installation.company.id, creds.customer.company.id);

    // Its developers see why, on every tab of the app's page; the portal refuses a submission.
    const dev = new PageClient(porter.url);
    await dev.signIn(partner.dev.email, partner.dev.password);
    const devPage = await dev.page(`/developer/apps/${partner.app.id}/credentials`);
    assert.match(
      devPage.html,
      /Suspended by the platform's admins: Sends spam to &lt;customers&gt; &amp; their subscribers/,
    );
    assert.match(devPage.html, /<time datetime="\d{4}-\d{2}-\d{2}T/);

    const [event] = (
      await porter.services.admin.audit(admin.actor, { app: partner.app.id, action: 'app.suspended' })
    ).events;
    assert.equal(event?.actor, admin.email);
    assert.equal(event?.company?.id, partner.dev.company.id);
    assert.deepEqual(event?.details, {
      name: 'Suspend Me',
      reason,
      status_before: 'unlisted',
      installations: 1,
    });

    await assert.rejects(
      porter.services.admin.suspend(admin.actor, partner.app.id, { reason: 'again' }),
      ConflictError,
    );

    const { csrf: csrf2 } = await admin.client.page(appPage);
    const lifted = await admin.client.submit(`${appPage}/unsuspend`, { _csrf: csrf2 });
    assert.match(lifted.html, /no longer suspended/);
    assert.match(lifted.html, /class="badge unlisted"/);
    for (const c of [creds.api_key, creds.access_token])
      assert.equal((await callApi(porter, 'GET', '/v1/me', c.token)).status, 200, 'works again at once');
    const again = await authorizeCode(another.client, partner.distributionUrl);
    assert.equal(
      (await postToken(porter, exchangeBody(partner, again.code))).status,
      200,
      'installable again',
    );
    assert.doesNotMatch(
      (await dev.page(`/developer/apps/${partner.app.id}`)).html,
      /Suspended by the platform/,
    );
    await assert.rejects(porter.services.admin.unsuspend(admin.actor, partner.app.id), ConflictError);
  });

  it('refuses to suspend a deleted app; a suspended private app cannot be distributed', async () => {
    const dev = await makeUser(porter, { company: 'Private Devs' });
    const actor = { kind: 'user' as const, userId: dev.user.id, label: dev.email };
    const { app: gone } = await porter.services.apps.create(actor, dev.company.id, {
      name: 'Gone',
      scopes: ['events:write'],
    });
    await porter.services.apps.delete(actor, dev.company.id, gone.id);
    await assert.rejects(
      porter.services.admin.suspend(admin.actor, gone.id, { reason: 'late' }),
      (err) => err instanceof ConflictError && /deleted app cannot be suspended/.test(err.message),
    );
    const { app: quiet } = await porter.services.apps.create(actor, dev.company.id, {
      name: 'Quiet',
      scopes: ['events:write'],
    });
    await assert.rejects(
      porter.services.admin.suspend(admin.actor, quiet.id, { reason: '' }),
      ValidationError,
    );
    await porter.services.admin.suspend(admin.actor, quiet.id, { reason: 'Impersonates a bank' });
    await assert.rejects(
      porter.services.apps.enableDistribution(actor, dev.company.id, quiet.id, {
        redirect_urls: ['https://quiet.example/cb'],
      }),
      ConflictError,
    );
    const { app } = await porter.services.admin.unsuspend(admin.actor, quiet.id);
    assert.equal(app.status, 'private', 'back to what it was');
  });

  it('lets exactly one of two concurrent suspensions win', async () => {
    const creds = await makeAppCredentials(porter, ['events:write'], 'Raced');
    const id = creds.partner.app.id;
    const results = await Promise.allSettled([
      porter.services.admin.suspend(admin.actor, id, { reason: 'first' }),
      porter.services.admin.suspend(admin.actor, id, { reason: 'second' }),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const [lost] = results.filter((r) => r.status === 'rejected');
    assert.ok(lost?.status === 'rejected' && lost.reason instanceof ConflictError);
    const events = (await porter.services.admin.audit(admin.actor, { app: id, action: 'app.suspended' }))
      .events;
    assert.equal(events.length, 1, 'one suspension recorded');
    const { app } = await porter.services.admin.unsuspend(admin.actor, id);
    assert.equal(app.status, 'unlisted', 'the status before, not "suspended"');
  });

  it('suspends and unsuspends from the command line; the running server follows within a second', async () => {
    const creds = await makeAppCredentials(porter, ['events:write'], 'Cli Suspended');
    const id = creds.partner.app.id;
    const listed = await porterCli(
      ['admin', 'apps', '--status', 'unlisted', '--search', 'Cli Suspended', '--json'],
      env,
    );
    assert.equal(listed.status, 0, listed.err);
    assert.deepEqual(
      JSON.parse(listed.out).apps.map((a: { id: string; installs: number }) => [a.id, a.installs]),
      [[id, 1]],
    );
    const suspended = await porterCli(
      ['admin', 'suspend', '--app', id, '--reason', 'Abuse report', '--json'],
      env,
    );
    assert.equal(suspended.status, 0, suspended.err);
    assert.deepEqual(JSON.parse(suspended.out), {
      app_id: id,
      status: 'suspended',
      status_before: 'unlisted',
      installations: 1,
    });
    await expectStatusWithin(porter, '/v1/me', creds.access_token.token, 401);
    await expectStatusWithin(porter, '/v1/me', creds.api_key.token, 401);
    const twice = await porterCli(['admin', 'suspend', '--app', id, '--reason', 'x', '--json'], env);
    assert.equal(twice.status, 1);
    assert.equal(JSON.parse(twice.err).error.code, 'conflict');
    const noReason = await porterCli(['admin', 'suspend', '--app', id], env);
    assert.equal(noReason.status, 2, 'usage: --reason is required');

    const lifted = await porterCli(['admin', 'unsuspend', '--app', id, '--json'], env);
    assert.deepEqual(JSON.parse(lifted.out), { app_id: id, status: 'unlisted' });
    await expectStatusWithin(porter, '/v1/me', creds.access_token.token, 200);
    await expectStatusWithin(porter, '/v1/me', creds.api_key.token, 200);

    const audit = await porterCli(
      ['admin', 'audit', '--app', id, '--action', 'app.', '--actor', 'cli', '--json'],
      env,
    );
    assert.equal(audit.status, 0, audit.err);
    assert.deepEqual(
      JSON.parse(audit.out).events.map((e: { action: string }) => e.action),
      ['app.unsuspended', 'app.suspended'],
    );
    const badSince = await porterCli(['admin', 'audit', '--since', 'yesterday', '--json'], env);
    assert.equal(badSince.status, 1);
    assert.match(JSON.parse(badSince.err).error.errors.from, /date/);
  });

  it('filters the audit log by company, app, actor, action and time, each narrowing it, older pages by keyset', async () => {
    const a = await makeAppCredentials(porter, ['events:write'], 'Audit Alpha');
    const b = await makeAppCredentials(porter, ['events:write'], 'Audit Beta');
    const { admin: service } = porter.services;
    const all = (await service.audit(admin.actor, { limit: '500' })).events;
    const byCompany = (await service.audit(admin.actor, { company: a.partner.dev.company.id, limit: '500' }))
      .events;
    assert.ok(byCompany.length > 0 && byCompany.length < all.length);
    assert.ok(byCompany.every((e) => e.company?.id === a.partner.dev.company.id));
    const byName = (await service.audit(admin.actor, { company: 'audit beta customer', limit: '500' }))
      .events;
    assert.ok(byName.length > 0);
    assert.ok(byName.every((e) => e.company?.id === b.customer.company.id));

    // An app's own events and its installations' events.
    const byApp = (await service.audit(admin.actor, { app: a.partner.app.id })).events;
    assert.deepEqual(byApp.map((e) => e.action).sort(), [
      'app.created',
      'app.distribution_enabled',
      'app.installed',
    ]);
    const byActor = (await service.audit(admin.actor, { actor: b.customer.email.toUpperCase() })).events;
    assert.ok(byActor.length > 0 && byActor.every((e) => e.actor_user_id === b.customer.user.id));
    assert.ok(
      byActor.some((e) => e.action === 'app.installed'),
      'the install this customer authorized',
    );
    const byAction = (await service.audit(admin.actor, { action: 'app.distribution_enabled', limit: '500' }))
      .events;
    assert.ok(byAction.length >= 2 && byAction.length < all.length);
    assert.ok(byAction.every((e) => e.action === 'app.distribution_enabled'));
    const prefix = (await service.audit(admin.actor, { action: 'app.', app: b.partner.app.id })).events;
    assert.equal(prefix.length, 3);

    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await service.audit(admin.actor, { from: '2999-01-01' })).events.length, 0);
    assert.equal((await service.audit(admin.actor, { to: '2000-01-01' })).events.length, 0);
    assert.equal(
      (await service.audit(admin.actor, { app: a.partner.app.id, from: today, to: today })).events.length,
      3,
      'a day covers all of it',
    );
    const since = byApp.at(-1)?.created_at ?? '';
    assert.ok(
      (await service.audit(admin.actor, { from: since, limit: '500' })).events.every(
        (e) => e.created_at >= since,
      ),
    );

    // Keyset: each page older than the last, none repeated.
    const first = await service.audit(admin.actor, { limit: '2' });
    assert.equal(first.events.length, 2);
    assert.ok(first.next);
    const second = await service.audit(admin.actor, { limit: '2', before: first.next });
    assert.deepEqual(
      [...first.events, ...second.events].map((e) => e.id),
      all.slice(0, 4).map((e) => e.id),
    );

    const { html } = await admin.client.page(`/admin/audit?app=${a.partner.app.id}&action=app.installed`);
    assert.match(html, /<code class="nowrap">app\.installed<\/code>/);
    assert.doesNotMatch(html, /<code[^>]*>app\.created<\/code>/);
    assert.match(html, new RegExp(`value="${a.partner.app.id}"`), 'the filter stays in the form');
    const paged = await admin.client.page('/admin/audit?limit=2');
    const older = /href="([^"]+)" rel="next">Older/.exec(paged.html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    assert.match(older, /before=aud_/);
    const olderPage = await admin.client.page(older);
    assert.equal(olderPage.res.status, 200);
    assert.match(olderPage.html, /← Newest/);
  });

  it('shows bad filter values as field errors, never a 500', async () => {
    const cases: [string, string, RegExp][] = [
      ['app=nope', 'app', /app id/],
      ['actor=nobody%40example.test', 'actor', /no user has this e-mail/],
      ['actor=not-an-email', 'actor', /e-mail address or cli/],
      ['action=APP%20*', 'action', /action such as/],
      ['from=2026-13-45', 'from', /date/],
      ['from=2026-02-01&to=2026-01-01', 'to', /after From/],
      ['company=a&company=b', 'company', /once/],
      ['before=123', 'before', /audit event id/],
    ];
    for (const [query, field, message] of cases) {
      const { res, html } = await admin.client.page(`/admin/audit?${query}`);
      assert.equal(res.status, 400, query);
      if (field === 'before') assert.match(html, /Older than<\/a>: must be an audit event id/);
      else assert.match(fieldErrorOf(html, field) ?? '', message, query);
    }
  });

  it('lists companies with region, test flag and counts, and shows one company', async () => {
    const creds = await makeAppCredentials(porter, ['events:write'], 'Counted App');
    const devCompany = creds.partner.dev.company;
    const { admin: service } = porter.services;
    await porter.services.accounts.createOwnedCompany(creds.partner.dev.user.id, {
      name: 'Counted Test Co',
      isTest: true,
    });
    const found = (await service.companies(admin.actor, { q: devCompany.id })).items;
    assert.deepEqual(
      found.map((c) => [c.name, c.members, c.apps, c.installed]),
      [['Partner Apps', 1, 1, 0]],
    );
    const customer = (await service.companies(admin.actor, { q: 'counted app customer' })).items;
    assert.deepEqual(
      customer.map((c) => [c.id, c.members, c.apps, c.installed]),
      [[creds.customer.company.id, 1, 0, 1]],
    );
    const cli = await porterCli(['admin', 'companies', '--search', 'Counted App Customer', '--json'], env);
    assert.equal(cli.status, 0, cli.err);
    assert.deepEqual(
      JSON.parse(cli.out).companies.map((c: { id: string; installed: number }) => [c.id, c.installed]),
      [[creds.customer.company.id, 1]],
    );
    const { html } = await admin.client.page('/admin/companies?q=Counted+Test');
    assert.match(html, /Counted Test Co<\/a> <span class="badge test">Test<\/span>/);
    assert.match((await admin.client.page('/admin/companies')).html, /Counted App Customer/);

    const detail = await admin.client.page(`/admin/companies/${creds.customer.company.id}`);
    assert.match(detail.html, new RegExp(creds.customer.email.replace('.', '\\.')));
    assert.match(detail.html, new RegExp(`href="/admin/apps/${creds.partner.app.id}">Counted App</a>`));
    const devDetail = await admin.client.page(`/admin/companies/${devCompany.id}`);
    assert.match(devDetail.html, /id="company-apps"[\s\S]*Counted App/);
    assert.equal((await admin.client.get('/admin/companies/cmp_nope')).status, 404);
    const appDetail = await admin.client.page(`/admin/apps/${creds.partner.app.id}`);
    assert.match(appDetail.html, /id="app-installations"[\s\S]*Counted App Customer/);
    assert.match(appDetail.html, /id="app-history"[\s\S]*Distribution enabled/);
  });
});
