import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { callApi, makeDeveloper } from './helpers/api.js';
import { PageClient } from './helpers/browserless.js';
import { porterCli } from './helpers/cli.js';
import { forEachDialect } from './helpers/dialects.js';
import { makePng } from './helpers/images.js';
import { authorizeCode, exchangeBody, makeCustomer, makeDistributedApp, postToken } from './helpers/oauth.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';

// Listing and review end to end: the Listing tab's multipart form with real PNGs, the images'
// public URLs, submission, an admin's rejection and approval, a published app's scope change
// through review with an existing installation keeping its scopes, the developer API and CLI.

type Partner = Awaited<ReturnType<typeof makeDistributedApp>>;

const TEXT = {
  tagline: 'Sync your store with Porter',
  description: 'Partner Sync keeps your catalogue and customers in step.\nIt runs every five minutes.',
  category: 'ecommerce',
  support_email: 'help@partner.example',
  privacy_url: 'https://partner.example/privacy',
};

/** Posts the Listing tab's form as a browser does: multipart, with files. */
async function postListing(
  client: PageClient,
  appId: string,
  fields: Record<string, string | string[]>,
  files: { icon?: Buffer; screenshots?: Buffer[] } = {},
  csrf?: string,
) {
  const token = csrf ?? (await client.page(`/developer/apps/${appId}/listing`)).csrf;
  const form = new FormData();
  if (token) form.set('_csrf', token);
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) form.append(k, x);
  if (files.icon) form.set('icon', new Blob([new Uint8Array(files.icon)], { type: 'image/png' }), 'icon.png');
  for (const s of files.screenshots ?? [])
    form.append('screenshots', new Blob([new Uint8Array(s)], { type: 'image/png' }), 'shot.png');
  return client.request(`/developer/apps/${appId}/listing`, { method: 'POST', body: form });
}

/** The developer of a distributed app, signed in to the portal. */
async function developer(porter: TestPorter, opts: { scopes?: string[]; name?: string } = {}) {
  const partner = await makeDistributedApp(porter, opts);
  const client = new PageClient(porter.url);
  await client.signIn(partner.dev.email, partner.dev.password);
  return { partner, client };
}

/** A platform admin, signed in. */
async function platformAdmin(porter: TestPorter) {
  const admin = await makeUser(porter, { company: 'Porter Staff' });
  await porter.services.accounts.setPlatformAdmin(admin.email, true);
  const client = new PageClient(porter.url);
  await client.signIn(admin.email, admin.password);
  return { ...admin, client, actor: { kind: 'user' as const, userId: admin.user.id, label: admin.email } };
}

/** A complete draft saved through the service. */
async function completeDraft(porter: TestPorter, partner: Partner, scopes?: string[]) {
  return porter.services.listings.saveDraft(partner.actor, partner.dev.company.id, partner.app.id, {
    fields: { ...TEXT, scopes },
    icon: { bytes: makePng(128, 128), truncated: false },
    screenshots: [{ bytes: makePng(640, 400), truncated: false }],
  });
}

async function appRow(porter: TestPorter, id: string) {
  return porter.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function actions(porter: TestPorter, appId: string) {
  const rows = await porter.db
    .selectFrom('audit_events')
    .select('action')
    .where('target_id', '=', appId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

forEachDialect('listing and review', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('shows each invalid field next to itself: text, a fake image, a too-large one, a non-square icon', async () => {
    const { partner, client } = await developer(porter);
    const id = partner.app.id;
    const fake = Buffer.from('I am only text, renamed to icon.png');
    const res = await postListing(
      client,
      id,
      {
        tagline: 'x'.repeat(81),
        description: 'too short',
        category: 'astrology',
        support_email: 'not-an-email',
        privacy_url: 'http://partner.example/privacy',
      },
      { icon: fake, screenshots: [makePng(900, 900, { noise: true })] },
    );
    assert.equal(res.status, 303);
    const { html } = await client.follow(res);
    const expected: Record<string, RegExp> = {
      tagline: /at most 80 characters/,
      description: /at least 20 characters/,
      category: /must be one of/,
      support_email: /e-mail address/,
      privacy_url: /https:\/\/ URL/,
      icon: /PNG, JPEG or WebP/,
      screenshots: /at most 2 MB/,
    };
    for (const [field, message] of Object.entries(expected)) {
      assert.match(html, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), `${field} is marked invalid`);
      const error = new RegExp(`id="${field}-error">([^<]*)<`).exec(html)?.[1] ?? '';
      assert.match(error, message, `${field}: ${error}`);
    }
    assert.match(html, /Please correct these 7 fields/);
    assert.match(html, /value="x{81}"/, 'what was typed comes back');

    const wide = await client.follow(await postListing(client, id, TEXT, { icon: makePng(256, 128) }));
    assert.match(/id="icon-error">([^<]*)</.exec(wide.html)?.[1] ?? '', /square/);
    const heavy = await client.follow(
      await postListing(client, id, TEXT, { icon: makePng(512, 512, { noise: true }) }),
    );
    assert.match(/id="icon-error">([^<]*)</.exec(heavy.html)?.[1] ?? '', /512 KB/);
    const small = await client.follow(await postListing(client, id, TEXT, { icon: makePng(100, 100) }));
    assert.match(/id="icon-error">([^<]*)</.exec(small.html)?.[1] ?? '', /at least 128×128/);
    const tooMany = await client.follow(
      await postListing(client, id, TEXT, { screenshots: Array.from({ length: 6 }, () => makePng(64, 64)) }),
    );
    assert.ok(
      tooMany.html.includes('at most 5 screenshots') || tooMany.res.status === 413,
      'six screenshots are refused',
    );
    assert.equal(
      await porter.services.listings
        .draft(partner.actor, partner.dev.company.id, id)
        .then((d) => d.images.length),
      0,
      'nothing was stored',
    );

    const forged = await postListing(client, id, TEXT, {}, 'forged-token');
    assert.equal(forged.status, 403, 'the multipart form still needs its CSRF token');
  });

  it('stores real PNGs, serves them publicly with their type, nosniff and a long cache, and deletes replaced ones', async () => {
    const { partner, client } = await developer(porter);
    const id = partner.app.id;
    const icon = makePng(128, 128);
    const shots = [makePng(640, 400, { hue: 10 }), makePng(800, 500, { hue: 60 })];
    const saved = await client.follow(await postListing(client, id, TEXT, { icon, screenshots: shots }));
    assert.match(saved.html, /Listing saved/);
    const { draft } = await porter.services.listings.draft(partner.actor, partner.dev.company.id, id);
    assert.equal(draft.tagline, TEXT.tagline);
    assert.equal(draft.screenshot_image_ids?.length, 2);
    const iconId = draft.icon_image_id ?? '';
    assert.match(saved.html, new RegExp(`src="/listing-images/${iconId}"`));

    const anon = await fetch(`${porter.url}/listing-images/${iconId}`);
    assert.equal(anon.status, 200, 'served signed out');
    assert.equal(anon.headers.get('content-type'), 'image/png');
    assert.equal(anon.headers.get('x-content-type-options'), 'nosniff');
    assert.match(anon.headers.get('cache-control') ?? '', /public, max-age=31536000, immutable/);
    assert.deepEqual(Buffer.from(await anon.arrayBuffer()), icon);
    for (const bad of ['img_00000000000000000000000000', 'nope', '..%2F..%2Fetc', `${iconId}x`]) {
      assert.equal((await fetch(`${porter.url}/listing-images/${bad}`)).status, 404, bad);
    }

    // A new icon replaces the old one, and removing a screenshot deletes it: nothing left over.
    const [first, second] = draft.screenshot_image_ids ?? [];
    await client.follow(
      await postListing(
        client,
        id,
        { ...TEXT, remove_screenshots: first ?? '' },
        { icon: makePng(256, 256) },
      ),
    );
    const after = await porter.services.listings.draft(partner.actor, partner.dev.company.id, id);
    assert.deepEqual(after.draft.screenshot_image_ids, [second]);
    assert.notEqual(after.draft.icon_image_id, iconId);
    assert.equal((await fetch(`${porter.url}/listing-images/${iconId}`)).status, 404);
    assert.equal((await fetch(`${porter.url}/listing-images/${first}`)).status, 404);
    const stored = await porter.db
      .selectFrom('listing_images')
      .select('id')
      .where('app_id', '=', id)
      .execute();
    assert.equal(stored.length, 2, 'only the icon and the kept screenshot are stored');
  });

  it('submits, is rejected with a reason the developer reads, resubmits, and is approved and published', async () => {
    const { partner, client } = await developer(porter);
    const admin = await platformAdmin(porter);
    const { reviews } = porter.services;
    const company = partner.dev.company.id;
    const id = partner.app.id;

    const incomplete = await client.submit(`/developer/apps/${id}/listing/submit`, {
      _csrf: (await client.page(`/developer/apps/${id}/listing`)).csrf,
    });
    assert.match(incomplete.html, /id="tagline-error">is required</);
    assert.match(incomplete.html, /id="icon-error">upload a square icon/);
    assert.equal((await appRow(porter, id)).status, 'unlisted');

    await completeDraft(porter, partner);
    const submitted = await client.submit(`/developer/apps/${id}/listing/submit`, {
      _csrf: (await client.page(`/developer/apps/${id}/listing`)).csrf,
    });
    assert.match(submitted.html, /Submitted for review/);
    assert.equal((await appRow(porter, id)).status, 'in_review');
    await assert.rejects(reviews.submit(partner.actor, company, id), /already in review/);

    // Only platform admins see the queue and decide.
    const stranger = new PageClient(porter.url);
    const nobody = await makeUser(porter);
    await stranger.signIn(nobody.email, nobody.password);
    assert.equal((await stranger.get('/admin/reviews')).status, 404);
    const [pending] = (await reviews.queue(admin.actor)).filter((r) => r.app_id === id);
    assert.ok(pending);
    await assert.rejects(reviews.approve(partner.actor, pending.id), /Only platform admins/);
    await assert.rejects(reviews.reject(partner.actor, pending.id, { reason: 'no' }), /Only platform admins/);

    const queue = await admin.client.page('/admin/reviews');
    assert.match(queue.html, new RegExp(`href="/admin/reviews/${pending.id}">Partner Sync<`));
    const page = await admin.client.page(`/admin/reviews/${pending.id}`);
    assert.match(page.html, /Sync your store with Porter/);
    assert.match(page.html, /Send custom events about your customers/, 'scopes in plain words');
    assert.match(page.html, /src="\/listing-images\/img_/);
    const empty = await admin.client.submit(`/admin/reviews/${pending.id}/reject`, {
      _csrf: page.csrf,
      reason: '  ',
    });
    assert.match(empty.html, /id="reason"[^>]*aria-invalid="true"/);
    assert.match(empty.html, /id="reason-error">say why/);
    const rejected = await admin.client.submit(`/admin/reviews/${pending.id}/reject`, {
      _csrf: page.csrf,
      reason: 'The screenshots show another product.\nPlease use your own.',
    });
    assert.match(rejected.html, /was rejected/);
    assert.equal((await appRow(porter, id)).status, 'rejected');

    const tab = await client.page(`/developer/apps/${id}/listing`);
    assert.match(tab.html, /The screenshots show another product\.\nPlease use your own\./);
    assert.match(tab.html, /Fix the listing below and submit it again/);

    await completeDraft(porter, partner);
    const again = await reviews.submit(partner.actor, company, id);
    assert.equal(again.kind, 'first_publication');
    const approve = await admin.client.page(`/admin/reviews/${again.id}`);
    const approved = await admin.client.submit(`/admin/reviews/${again.id}/approve`, { _csrf: approve.csrf });
    assert.match(approved.html, /approved and is published/);
    assert.match(approved.html, /id="reviews-decided"/);
    assert.equal((await appRow(porter, id)).status, 'published');
    const live = await porter.db
      .selectFrom('app_listings')
      .selectAll()
      .where('app_id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(live.tagline, TEXT.tagline);
    assert.equal(live.category, 'ecommerce');
    const history = await reviews.history(partner.actor, company, id);
    assert.deepEqual(
      history.map((r) => r.status),
      ['approved', 'rejected'],
    );
    assert.deepEqual(
      (await actions(porter, id)).filter((a) => a.startsWith('app.review_')),
      ['app.review_submitted', 'app.review_rejected', 'app.review_submitted', 'app.review_approved'],
    );
    await assert.rejects(reviews.approve(admin.actor, again.id), /already approved/);
  });

  it('takes an optional Install URL: validated, saved, snapshotted, live once approved, cleared by a change without it', async () => {
    const { partner, client } = await developer(porter, { name: 'Install Page App' });
    const admin = await platformAdmin(porter);
    const { reviews } = porter.services;
    const company = partner.dev.company.id;
    const id = partner.app.id;

    const form = await client.page(`/developer/apps/${id}/listing`);
    assert.match(form.html, /<label for="install_url">Install URL \(optional\)<\/label>/);
    assert.match(form.html, /the SDK&#39;s installUrl|the SDK's installUrl/);
    assert.match(form.html, /your callback gets no state/);
    for (const [url, message] of [
      ['javascript:alert(1)', /https:\/\/ URL/],
      ['http://partner.example/install', /https:\/\/ URL/],
      ['https://user:pw@partner.example/install', /https:\/\/ URL/],
      [`https://partner.example/${'i'.repeat(2048)}`, /at most 2048 characters/],
    ] as const) {
      const res = await postListing(client, id, { ...TEXT, install_url: url });
      const { html } = await client.follow(res);
      assert.match(html, /id="install_url"[^>]*aria-invalid="true"/, url);
      assert.match(/id="install_url-error">([^<]*)</.exec(html)?.[1] ?? '', message, url);
      assert.match(html, /href="#install_url">Install URL</, 'named in the summary');
    }
    assert.equal((await appRow(porter, id)).listing_draft, null, 'nothing was saved');

    const saved = await client.follow(
      await postListing(
        client,
        id,
        { ...TEXT, install_url: 'https://partner.example/install' },
        { icon: makePng(128, 128), screenshots: [makePng(640, 400)] },
      ),
    );
    assert.match(saved.html, /Listing saved/);
    assert.match(saved.html, /id="install_url"[^>]*value="https:\/\/partner.example\/install"/);

    const { token } = await porter.services.credentials.createPersonalToken(partner.actor, company, 'api');
    const base = `/developer/v1/apps/${id}`;
    const draft = await callApi(porter, 'GET', `${base}/listing`, token);
    assert.equal(draft.body.draft.install_url, 'https://partner.example/install');
    const bad = await callApi(porter, 'PUT', `${base}/listing`, token, {
      ...TEXT,
      install_url: 'javascript:x',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.errors.install_url, /https:\/\/ URL/);
    const local = await callApi(porter, 'PUT', `${base}/listing`, token, {
      ...TEXT,
      install_url: 'http://localhost:4000/install',
    });
    assert.equal(local.status, 200, JSON.stringify(local.body));
    assert.equal(local.body.draft.install_url, 'http://localhost:4000/install', 'http for localhost');

    const review = await callApi(porter, 'POST', `${base}/review`, token);
    assert.equal(review.status, 201, JSON.stringify(review.body));
    assert.equal(review.body.listing.install_url, 'http://localhost:4000/install', 'in the snapshot');
    const preview = await admin.client.page(`/admin/reviews/${review.body.id}`);
    assert.match(
      preview.html,
      /id="install-preview"[^>]*>[^<]*install page: <a href="http:\/\/localhost:4000\/install"/,
    );
    await reviews.approve(admin.actor, review.body.id);
    const live = () =>
      porter.db.selectFrom('app_listings').selectAll().where('app_id', '=', id).executeTakeFirstOrThrow();
    assert.equal((await live()).install_url, 'http://localhost:4000/install');

    // A change without one clears it once approved: Install leads to the distribution URL again.
    const cleared = await callApi(porter, 'PUT', `${base}/listing`, token, TEXT);
    assert.equal(cleared.body.draft.install_url, undefined);
    const change = await callApi(porter, 'POST', `${base}/review`, token);
    assert.equal(change.body.kind, 'change');
    assert.equal(change.body.listing.install_url, undefined);
    const changePreview = await admin.client.page(`/admin/reviews/${change.body.id}`);
    assert.match(
      changePreview.html,
      /It leads to the app&#39;s distribution URL|It leads to the app's distribution URL/,
    );
    assert.equal((await live()).install_url, 'http://localhost:4000/install', 'live until approved');
    await reviews.approve(admin.actor, change.body.id);
    assert.equal((await live()).install_url, null);
  });

  it('refuses to submit a private app, and withdraws a pending review back to the status before', async () => {
    const dev = await makeDeveloper(porter);
    const { app } = await porter.services.apps.create(dev.actor, dev.company.id, {
      name: 'Private One',
      scopes: ['events:write'],
    });
    await assert.rejects(
      porter.services.reviews.submit(dev.actor, dev.company.id, app.id),
      /Enable distribution first/,
    );

    const { partner, client } = await developer(porter);
    await completeDraft(porter, partner);
    await porter.services.reviews.submit(partner.actor, partner.dev.company.id, partner.app.id);
    const tab = await client.page(`/developer/apps/${partner.app.id}/listing`);
    assert.match(tab.html, /Withdraw the submission/);
    const withdrawn = await client.submit(`/developer/apps/${partner.app.id}/listing/withdraw`, {
      _csrf: tab.csrf,
    });
    assert.match(withdrawn.html, /Submission withdrawn/);
    assert.equal((await appRow(porter, partner.app.id)).status, 'unlisted');
    await assert.rejects(
      porter.services.reviews.withdraw(partner.actor, partner.dev.company.id, partner.app.id),
      /no pending review/,
    );
    assert.deepEqual(
      (await porter.services.reviews.history(partner.actor, partner.dev.company.id, partner.app.id)).map(
        (r) => r.status,
      ),
      ['withdrawn'],
    );
    // Another company cannot submit or read this app's reviews.
    const other = await makeDeveloper(porter);
    const { listings, reviews } = porter.services;
    await assert.rejects(reviews.submit(other.actor, other.company.id, partner.app.id), /not found/);
    await assert.rejects(reviews.withdraw(other.actor, other.company.id, partner.app.id), /not found/);
    await assert.rejects(reviews.history(other.actor, other.company.id, partner.app.id), /not found/);
    await assert.rejects(listings.draft(other.actor, other.company.id, partner.app.id), /not found/);
    await assert.rejects(
      listings.saveDraft(other.actor, other.company.id, partner.app.id, { fields: TEXT }),
      /not found/,
    );
    await assert.rejects(reviews.queue(other.actor), /Only platform admins/);
    const stranger = new PageClient(porter.url);
    await stranger.signIn(other.email, other.password);
    const { csrf } = await stranger.page('/developer');
    for (const action of ['listing/submit', 'listing/withdraw']) {
      const res = await stranger.post(`/developer/apps/${partner.app.id}/${action}`, { _csrf: csrf });
      assert.equal(res.status, 404, `${action} of another company's app`);
    }
    assert.equal((await stranger.get(`/developer/apps/${partner.app.id}/listing`)).status, 404);
  });

  it("sends a published app's scope change through review; an existing installation keeps its scopes", async () => {
    const { partner, client } = await developer(porter, { scopes: ['events:write'], name: 'Scoped App' });
    const admin = await platformAdmin(porter);
    const { reviews, apps } = porter.services;
    const company = partner.dev.company.id;
    const id = partner.app.id;
    await completeDraft(porter, partner);
    await reviews.approve(admin.actor, (await reviews.submit(partner.actor, company, id)).id);

    const customer = await makeCustomer(porter, { company: 'Early Customer' });
    const { code } = await authorizeCode(customer.client, partner.distributionUrl);
    const first = await postToken(porter, exchangeBody(partner, code));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.scope, 'events:write');

    await assert.rejects(
      apps.update(partner.actor, company, id, { scopes: ['events:write', 'ecommerce:write'] }),
      /change its scopes on the Listing tab/,
    );
    const settings = await client.page(`/developer/apps/${id}`);
    assert.match(
      settings.html,
      /The app is published: change its scopes on the <a href="[^"]+\/listing">Listing<\/a> tab/,
    );
    const listingTab = await client.page(`/developer/apps/${id}/listing`);
    assert.match(listingTab.html, /Scopes to request with this change/);
    const saved = await postListing(client, id, { ...TEXT, scopes_field: 'yes' }, {}, listingTab.csrf);
    assert.match((await client.follow(saved)).html, /id="scopes-error">choose at least one scope/);
    await completeDraft(porter, partner, ['events:write', 'ecommerce:write']);
    const change = await reviews.submit(partner.actor, company, id);
    assert.equal(change.kind, 'change');
    const during = await appRow(porter, id);
    assert.equal(during.status, 'published', 'stays published while the change is reviewed');
    assert.deepEqual(
      JSON.parse(during.scopes),
      ['events:write'],
      'customers are still offered the reviewed scopes',
    );
    const queued = (await reviews.queue(admin.actor)).find((r) => r.id === change.id);
    assert.deepEqual(queued?.live_scopes, ['events:write']);
    const adminPage = await admin.client.page(`/admin/reviews/${change.id}`);
    assert.match(adminPage.html, /Scopes added<\/dt><dd class="scope-added">ecommerce:write/);

    await reviews.approve(admin.actor, change.id);
    const view = await apps.get(partner.actor, company, id);
    assert.deepEqual(view.scopes, ['events:write', 'ecommerce:write']);
    const me = await callApi(porter, 'GET', '/v1/me', first.body.access_token);
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.scopes, ['events:write'], 'the existing installation keeps what it granted');
    const stale = await callApi(porter, 'POST', '/v1/events/ecommerce/purchase', first.body.access_token, {});
    assert.equal(stale.status, 403);

    // The customer re-consents from the new distribution URL and gets the new scopes.
    const { code: code2 } = await authorizeCode(customer.client, view.distribution_url ?? '');
    const second = await postToken(porter, exchangeBody(partner, code2));
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.deepEqual(String(second.body.scope).split(' ').sort(), ['ecommerce:write', 'events:write']);
  });

  it('offers the draft, uploads, submission and history in the developer API, with JSON errors', async () => {
    const partner = await makeDistributedApp(porter, { name: 'API Listed' });
    const { token } = await porter.services.credentials.createPersonalToken(
      partner.actor,
      partner.dev.company.id,
      'api',
    );
    const base = `/developer/v1/apps/${partner.app.id}`;
    const bad = await callApi(porter, 'PUT', `${base}/listing`, token, {
      ...TEXT,
      privacy_url: 'ftp://x',
      category: 'nope',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'invalid_request');
    assert.ok(bad.body.errors.privacy_url && bad.body.errors.category, JSON.stringify(bad.body));
    const put = await callApi(porter, 'PUT', `${base}/listing`, token, TEXT);
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.draft.tagline, TEXT.tagline);

    const upload = (kind: string, bytes: Buffer, type = 'image/png') =>
      fetch(`${porter.url}${base}/listing/${kind}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': type },
        body: new Uint8Array(bytes),
      });
    const fake = await upload('icon', Buffer.from('plain text'));
    assert.equal(fake.status, 400);
    assert.match(JSON.stringify(await fake.json()), /PNG, JPEG or WebP/);
    assert.equal((await upload('icon', makePng(128, 128))).status, 200);
    const shot = await upload('screenshots', makePng(400, 300));
    const body = await shot.json();
    assert.equal(shot.status, 200);
    assert.equal(body.draft.tagline, TEXT.tagline, 'an upload keeps the text');
    assert.equal(body.images.length, 2);
    assert.match(body.images[0].url, /\/listing-images\/img_/);

    const submitted = await callApi(porter, 'POST', `${base}/review`, token);
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    assert.equal(submitted.body.status, 'pending');
    const again = await callApi(porter, 'POST', `${base}/review`, token);
    assert.equal(again.status, 409);
    const withdrawn = await callApi(porter, 'POST', `${base}/review/withdraw`, token);
    assert.equal(withdrawn.body.status, 'withdrawn');
    const list = await callApi(porter, 'GET', `${base}/reviews`, token);
    assert.deepEqual(
      list.body.reviews.map((r: { status: string }) => r.status),
      ['withdrawn'],
    );
    const spec = await (await fetch(`${porter.url}/openapi.json`)).json();
    const iconDoc = spec.paths['/developer/v1/apps/{id}/listing/icon'].post;
    assert.ok(iconDoc.requestBody.content['image/png'], JSON.stringify(iconDoc.requestBody));
  });

  it('submits, lists, rejects and approves from the command line', async () => {
    const env = { DATABASE_URL: porter.database.url, PORTER_PUBLIC_URL: porter.url };
    const partner = await makeDistributedApp(porter, { name: 'CLI Listed' });
    await completeDraft(porter, partner);
    const submitted = await porterCli(['apps', 'submit', '--app', partner.app.id, '--json'], env);
    assert.equal(submitted.status, 0, submitted.err);
    const reviewId = JSON.parse(submitted.out).id;
    const queue = await porterCli(['admin', 'reviews'], env);
    assert.match(queue.out, new RegExp(`${reviewId} .*CLI Listed`));
    const noReason = await porterCli(['admin', 'reject', '--review', reviewId, '--reason', ''], env);
    assert.equal(noReason.status, 1);
    const rejected = await porterCli(
      ['admin', 'reject', '--review', reviewId, '--reason', 'Needs a real privacy policy.'],
      env,
    );
    assert.equal(rejected.status, 0, rejected.err);
    assert.match(rejected.out, /rejected/);
    const second = JSON.parse(
      (await porterCli(['apps', 'submit', '--app', partner.app.id, '--json'], env)).out,
    ).id;
    const approved = await porterCli(['admin', 'approve', '--review', second, '--json'], env);
    assert.equal(JSON.parse(approved.out).status, 'approved');
    assert.equal((await appRow(porter, partner.app.id)).status, 'published');
  });
});

forEachDialect('listing and review: hostile input', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('answers hostile bodies on the listing forms with 4xx or the form, never a 500, and always checks CSRF', async () => {
    const { partner, client } = await developer(porter);
    const id = partner.app.id;
    const paths = [
      `/developer/apps/${id}/listing`,
      `/developer/apps/${id}/listing/submit`,
      `/developer/apps/${id}/listing/withdraw`,
    ];
    for (const path of paths) {
      const plain = await client.post(path, { tagline: 'x' });
      assert.equal(plain.status, 403, `${path} urlencoded without CSRF`);
      const { csrf } = await client.page(`/developer/apps/${id}/listing`);
      const hostile = await client.post(path, {
        _csrf: csrf,
        tagline: '\u0000'.repeat(10),
        description: 'y'.repeat(30_000),
        category: '💥',
      });
      assert.ok(hostile.status < 500, `${path} → ${hostile.status}`);
      if (hostile.status === 303) assert.equal((await client.follow(hostile)).res.status, 200);
    }
    const { csrf } = await client.page(`/developer/apps/${id}/listing`);
    const proto = new FormData();
    proto.set('_csrf', csrf);
    proto.set('__proto__', 'polluted');
    const polluted = await client.request(`/developer/apps/${id}/listing`, { method: 'POST', body: proto });
    assert.ok(polluted.status >= 400 && polluted.status < 500, `__proto__ → ${polluted.status}`);
    const many = new FormData();
    many.set('_csrf', csrf);
    for (let i = 0; i < 7; i++)
      many.append('screenshots', new Blob([new Uint8Array(makePng(32, 32))]), `s${i}.png`);
    const tooMany = await client.request(`/developer/apps/${id}/listing`, { method: 'POST', body: many });
    assert.ok(tooMany.status >= 400 && tooMany.status < 500, `seven files → ${tooMany.status}`);
    const { token } = await porter.services.credentials.createPersonalToken(
      partner.actor,
      partner.dev.company.id,
      'x',
    );
    for (const body of [
      null,
      [],
      'string',
      { tagline: 42 },
      { scopes: 'events:write' },
      { remove_screenshots: [null] },
    ]) {
      const res = await callApi(porter, 'PUT', `/developer/v1/apps/${id}/listing`, token, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
    }
    const wrongType = await fetch(`${porter.url}/developer/v1/apps/${id}/listing/icon`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(wrongType.status, 400);
    assert.match(JSON.stringify(await wrongType.json()), /send the image as the body/);
    const hugeIcon = await fetch(`${porter.url}/developer/v1/apps/${id}/listing/icon`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      body: new Uint8Array(makePng(1000, 1000, { noise: true })),
    });
    assert.equal(hugeIcon.status, 413);
    assert.equal(
      (await porter.services.listings.draft(partner.actor, partner.dev.company.id, id)).images.length,
      0,
    );
  });
});
