import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { PageClient } from './helpers/browserless.js';
import { forEachDialect } from './helpers/dialects.js';
import { authorizeCode, exchangeBody, makeCustomer, makeDistributedApp, postToken } from './helpers/oauth.js';
import { makeUser, startPorter, type TestPorter } from './helpers/porter.js';
import { type Received, type Receiver, startReceiver, verifySignature } from './helpers/webhook-receiver.js';

// Signed webhooks end to end: a real receiver over HTTP checks each delivery with node:crypto
// as the README tells app developers to; Porter's worker sends from the test's own server.

/** Fast retries and polling, and the development switch: the receiver listens on 127.0.0.1. */
const ENV = {
  PORTER_WEBHOOKS_ALLOW_PRIVATE: '1',
  PORTER_WEBHOOKS_POLL_MS: '100',
  PORTER_WEBHOOKS_BACKOFF_SCALE: '0.01',
  PORTER_WEBHOOKS_TIMEOUT: '1',
};

type Partner = Awaited<ReturnType<typeof makeDistributedApp>>;

/** A distributed app whose webhooks go to `url`, and its signing secret as the portal reveals it. */
async function appWithWebhook(porter: TestPorter, url: string, name = 'Hooked App') {
  const partner = await makeDistributedApp(porter, { name });
  await porter.services.apps.update(partner.actor, partner.dev.company.id, partner.app.id, {
    webhook_url: url,
  });
  const secret = await porter.services.webhooks.revealSecret(
    partner.actor,
    partner.dev.company.id,
    partner.app.id,
  );
  return { partner, secret };
}

/** A customer installs the app through the distribution URL; answers the token response. */
async function install(porter: TestPorter, partner: Partner, url = partner.distributionUrl) {
  const customer = await makeCustomer(porter);
  const { code } = await authorizeCode(customer.client, url);
  const token = await postToken(porter, exchangeBody(partner, code));
  assert.equal(token.status, 200, JSON.stringify(token.body));
  return { customer, token: token.body };
}

/** The app's deliveries once `done` holds for them (polled for at most `ms`). */
async function deliveriesWhen(
  porter: TestPorter,
  partner: Partner,
  done: (list: Awaited<ReturnType<TestPorter['services']['webhooks']['deliveries']>>) => boolean,
  ms = 5000,
) {
  const until = Date.now() + ms;
  for (;;) {
    const list = await porter.services.webhooks.deliveries(
      partner.actor,
      partner.dev.company.id,
      partner.app.id,
    );
    if (done(list)) return list;
    if (Date.now() > until) throw new Error(`deliveries never reached the state: ${JSON.stringify(list)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function expectContract(r: Received, type: string) {
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.headers['user-agent'], 'Porter-Webhooks/1');
  assert.equal(r.headers['porter-event-type'], type);
  assert.equal(r.headers['porter-event-id'], r.event.id);
  assert.equal(r.event.type, type);
  assert.ok(!Number.isNaN(Date.parse(r.event.created_at)));
}

forEachDialect('signed webhooks', (dialect) => {
  let porter: TestPorter;
  let receiver: Receiver;
  before(async () => {
    porter = await startPorter(dialect, ENV);
    // /fail-once answers 500 the first time; /redirect answers 302; /slow never answers.
    receiver = await startReceiver((r) => {
      if (r.path === '/redirect') return { status: 302, headers: { location: '/elsewhere' } };
      if (r.path === '/slow') return 'hang';
      for (const once of ['/fail-once', '/restart'])
        if (r.path === once && at(once).length === 1) return { status: 500 };
      return { status: 200 };
    });
  });
  after(async () => {
    await porter.close();
    await receiver.close();
  });

  const at = (path: string) => receiver.received.filter((r) => r.path === path);

  it('sends signed app.installed then app.uninstalled, numbered 1 and 2, with the installation', async () => {
    const { partner, secret } = await appWithWebhook(porter, receiver.url('/ordered'));
    const { customer, token } = await install(porter, partner);
    const actor = { kind: 'user' as const, userId: customer.user.id, label: customer.email };
    const [installed] = await porter.services.installations.list(actor, customer.company.id);
    await porter.services.installations.uninstall(actor, customer.company.id, installed?.id ?? '');
    const got = (await receiver.waitFor('/ordered', 2)).sort((a, b) => a.event.sequence - b.event.sequence);
    assert.deepEqual(
      got.map((r) => [r.event.type, r.event.sequence]),
      [
        ['app.installed', 1],
        ['app.uninstalled', 2],
      ],
    );
    for (const r of got) {
      expectContract(r, r.event.type);
      assert.equal(verifySignature(r, secret), 1);
      assert.deepEqual(r.event.data.installation, token.installation);
    }
    // The README's check refuses another secret, a changed body and a replayed old delivery.
    const [one] = got as [Received];
    assert.throws(() => verifySignature(one, `${secret}x`), /bad signature/);
    assert.throws(
      () => verifySignature({ ...one, body: one.body.replace('app.', 'app_') }, secret),
      /bad signature/,
    );
    const old = String(one.headers['porter-signature']).replace(
      /t=\d+/,
      `t=${Math.floor(Date.now() / 1000) - 600}`,
    );
    const replayed = { ...one, headers: { ...one.headers, 'porter-signature': old } };
    assert.throws(() => verifySignature(replayed, secret), /old or missing timestamp/);
    const list = await deliveriesWhen(porter, partner, (l) => l.every((d) => d.status === 'delivered'));
    assert.deepEqual(
      list.map((d) => [d.type, d.last_status_code, d.attempts]),
      [
        ['app.uninstalled', 200, 1],
        ['app.installed', 200, 1],
      ],
    );
  });

  it('tells the app when a re-authorization changes the scopes, and when it is suspended', async () => {
    const { partner, secret } = await appWithWebhook(porter, receiver.url('/scopes'), 'Rescoped App');
    const customer = await makeCustomer(porter);
    const first = await authorizeCode(customer.client, partner.distributionUrl);
    assert.equal((await postToken(porter, exchangeBody(partner, first.code))).status, 200);
    const scopes = ['events:write', 'subscriptions:write', 'attributes:write'];
    const changed = await porter.services.apps.update(partner.actor, partner.dev.company.id, partner.app.id, {
      scopes,
    });
    const again = await authorizeCode(customer.client, changed.distribution_url ?? '');
    assert.equal((await postToken(porter, exchangeBody(partner, again.code))).status, 200);
    // The admin area suspends apps inside its own transaction; the installations service tells them.
    await porter.db
      .transaction()
      .execute((trx) => porter.services.installations.appSuspended(trx, partner.app.id));
    porter.services.installations.forgetCached();
    const got = (await receiver.waitFor('/scopes', 3)).sort((a, b) => a.event.sequence - b.event.sequence);
    assert.deepEqual(
      got.map((r) => [r.event.type, r.event.sequence]),
      [
        ['app.installed', 1],
        ['app.scopes_updated', 2],
        ['app.suspended', 3],
      ],
    );
    for (const r of got) verifySignature(r, secret);
    assert.deepEqual(got[1]?.event.data.previous_scopes, ['events:write', 'subscriptions:write']);
    assert.deepEqual(got[1]?.event.data.installation.scopes, scopes);
  });

  it('numbers concurrent events of one installation without repeats or gaps', async () => {
    const { partner } = await appWithWebhook(porter, receiver.url('/concurrent'), 'Busy App');
    await install(porter, partner);
    // Ten transactions at once, each recording an event for the same installation: on
    // PostgreSQL they run concurrently and meet at the sequence row's lock.
    await Promise.all(
      Array.from({ length: 10 }, () =>
        porter.db
          .transaction()
          .execute((trx) => porter.services.installations.appSuspended(trx, partner.app.id)),
      ),
    );
    porter.services.installations.forgetCached();
    const list = await deliveriesWhen(
      porter,
      partner,
      (l) => l.length === 11 && l.every((d) => d.status === 'delivered'),
    );
    assert.deepEqual(
      list.map((d) => d.sequence).sort((a, b) => (a ?? 0) - (b ?? 0)),
      Array.from({ length: 11 }, (_, i) => i + 1),
    );
  });

  it('retries a failed delivery with the same event id and a fresh signature', async () => {
    const { partner, secret } = await appWithWebhook(porter, receiver.url('/fail-once'), 'Retried App');
    await install(porter, partner);
    const [failed, retried] = await receiver.waitFor('/fail-once', 2);
    assert.ok(failed && retried);
    assert.equal(retried.event.id, failed.event.id);
    assert.equal(retried.body, failed.body);
    verifySignature(retried, secret);
    const [d] = await deliveriesWhen(porter, partner, (l) => l[0]?.status === 'delivered');
    assert.equal(d?.attempts, 2);
  });

  it('delivers after a restart an event whose first attempt failed before it', async (t) => {
    // Its retry comes about 3 s later (10 s × 0.3): after this server has stopped.
    const slow = { ...ENV, PORTER_WEBHOOKS_BACKOFF_SCALE: '0.3' };
    const first = await startPorter(dialect, slow);
    let stopped = false;
    t.after(async () => {
      if (!stopped) await first.stop();
    });
    const { partner, secret } = await appWithWebhook(first, receiver.url('/restart'), 'Restarted App');
    await install(first, partner);
    const [failed] = await receiver.waitFor('/restart', 1);
    await first.stop();
    stopped = true;
    const second = await startPorter(dialect, slow, first.database);
    t.after(() => second.close());
    const [, delivered] = await receiver.waitFor('/restart', 2);
    assert.equal(delivered?.event.id, failed?.event.id);
    assert.equal(delivered?.event.type, 'app.installed');
    assert.equal(delivered?.event.sequence, 1);
    verifySignature(delivered as Received, secret);
    const [d] = await deliveriesWhen(second, partner, (l) => l[0]?.status === 'delivered');
    assert.deepEqual([d?.attempts, d?.last_status_code], [2, 200]);
  });

  it('sends a test event, with no installation and no sequence', async () => {
    const { partner, secret } = await appWithWebhook(porter, receiver.url('/test'), 'Tested App');
    const id = await porter.services.webhooks.sendTest(partner.actor, partner.dev.company.id, partner.app.id);
    await deliveriesWhen(porter, partner, (l) => l[0]?.status === 'delivered');
    const [r] = at('/test');
    assert.ok(r);
    expectContract(r, 'test');
    verifySignature(r, secret);
    assert.equal(r.event.id, id);
    assert.equal(r.event.sequence, null);
    assert.deepEqual(r.event.data, { app: { id: partner.app.id, name: 'Tested App' } });
  });

  it('signs with the old and the new secret after a rotation', async () => {
    const { partner, secret } = await appWithWebhook(porter, receiver.url('/rotated'), 'Rotated App');
    const rotated = await porter.services.webhooks.rotateSecret(
      partner.actor,
      partner.dev.company.id,
      partner.app.id,
    );
    assert.notEqual(rotated, secret);
    assert.match(rotated, /^porter_ws_/);
    await porter.services.webhooks.sendTest(partner.actor, partner.dev.company.id, partner.app.id);
    await deliveriesWhen(porter, partner, (l) => l[0]?.status === 'delivered');
    const [r] = at('/rotated');
    assert.ok(r);
    assert.equal(verifySignature(r, rotated), 2);
    assert.equal(verifySignature(r, secret), 2);
    const overview = await porter.services.webhooks.overview(
      partner.actor,
      partner.dev.company.id,
      partner.app.id,
    );
    assert.ok((overview.previousSecretUntil ?? '') > new Date(Date.now() + 23 * 3600_000).toISOString());
  });

  it('follows no redirect: a 3xx is a failed attempt', async () => {
    const { partner } = await appWithWebhook(porter, receiver.url('/redirect'), 'Redirected App');
    await porter.services.webhooks.sendTest(partner.actor, partner.dev.company.id, partner.app.id);
    const [d] = await deliveriesWhen(porter, partner, (l) => (l[0]?.attempts ?? 0) >= 1);
    assert.equal(d?.last_status_code, 302);
    assert.match(d?.last_error ?? '', /redirects are not followed/);
    assert.notEqual(d?.status, 'delivered');
    assert.equal(at('/elsewhere').length, 0);
  });

  it('gives up on an attempt that gets no answer within the timeout', async () => {
    const { partner } = await appWithWebhook(porter, receiver.url('/slow'), 'Slow App');
    await porter.services.webhooks.sendTest(partner.actor, partner.dev.company.id, partner.app.id);
    const [d] = await deliveriesWhen(porter, partner, (l) => (l[0]?.attempts ?? 0) >= 1, 5000);
    assert.equal(d?.last_status_code, null);
    assert.match(d?.last_error ?? '', /Timed out after 1 s/);
    assert.equal(d?.status, 'pending', 'retried later');
  });

  it('redelivers an event from the portal: the same id again, listed with its attempts', async () => {
    const { partner, secret } = await appWithWebhook(porter, receiver.url('/redeliver'), 'Redelivered App');
    await install(porter, partner);
    const [first] = await deliveriesWhen(porter, partner, (l) => l[0]?.status === 'delivered');
    const dev = new PageClient(porter.url);
    await dev.signIn(partner.dev.email, partner.dev.password);
    const page = await dev.page(`/developer/apps/${partner.app.id}/webhooks`);
    assert.equal(page.res.status, 200);
    const action = `/developer/apps/${partner.app.id}/webhooks/deliveries/${first?.id}/redeliver`;
    assert.ok(page.html.includes(`action="${action}"`), 'a Redeliver button for the delivery');
    const landed = await dev.submit(action, { _csrf: page.csrf });
    assert.match(landed.html, /Redelivery queued/);
    await deliveriesWhen(porter, partner, (l) => l[0]?.attempts === 2 && l[0]?.status === 'delivered');
    const got = at('/redeliver');
    assert.deepEqual(
      got.map((r) => r.event.id),
      [first?.id, first?.id],
    );
    for (const r of got) verifySignature(r, secret);
    // Another company's delivery id is not found; a forged one neither.
    const stranger = await makeUser(porter);
    const outsider = new PageClient(porter.url);
    await outsider.signIn(stranger.email, stranger.password);
    const other = await outsider.page('/developer');
    assert.equal((await outsider.post(action, { _csrf: other.csrf })).status, 404);
    const forged = `/developer/apps/${partner.app.id}/webhooks/deliveries/whe_nope/redeliver`;
    assert.equal((await dev.post(forged, { _csrf: page.csrf })).status, 404);
  });

  it('refuses a webhook URL on a private address, and an https host that resolves to one', async (t) => {
    const strict = await startPorter(dialect, { ...ENV, PORTER_WEBHOOKS_ALLOW_PRIVATE: '0' });
    t.after(() => strict.close());
    const partner = await makeDistributedApp(strict, { name: 'Strict App' });
    const { apps, webhooks } = strict.services;
    const target = [partner.actor, partner.dev.company.id, partner.app.id] as const;
    for (const url of [
      receiver.url('/private'),
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/x',
    ])
      await assert.rejects(apps.update(...target, { webhook_url: url }), /webhook_url/, url);
    // localhost is a name: accepted here, refused once resolved, before any connection.
    await apps.update(...target, { webhook_url: `https://localhost:${receiver.port}/private` });
    await webhooks.sendTest(...target);
    const [d] = await deliveriesWhen(strict, partner, (l) => (l[0]?.attempts ?? 0) >= 1);
    assert.match(d?.last_error ?? '', /Refused: localhost resolves to a private address/);
    assert.equal(d?.last_status_code, null);
    assert.equal(at('/private').length, 0);
  });
});
