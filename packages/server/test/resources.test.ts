import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { callApi } from './helpers/api.js';
import { forEachDialect } from './helpers/dialects.js';
import { makeAppCredentials, SEED_SCOPES } from './helpers/oauth.js';
import { startPorter, type TestPorter } from './helpers/porter.js';

const KINDS = ['api_key', 'access_token'] as const;
type Creds = Awaited<ReturnType<typeof makeAppCredentials>>;

let counter = 0;
/** A fresh phone number, so each test's subscribers are its own. */
function newPhone() {
  counter += 1;
  return `+1415555${String(1000 + counter).padStart(4, '0')}`;
}

const item = { product_id: 'sku-1', name: 'Mug', price: { value: 12.5, currency: 'USD' }, quantity: 2 };

/** Each scope's endpoints: a request that succeeds with the scope, and its status. */
function scopeCases(phone: string) {
  const user = { phone };
  return [
    {
      scope: 'events:write',
      method: 'POST',
      path: '/v1/events/custom',
      body: { type: 'Signed Up', user },
      status: 201,
    },
    { scope: 'events:write', method: 'GET', path: '/v1/events/custom', status: 200 },
    {
      scope: 'ecommerce:write',
      method: 'POST',
      path: '/v1/events/ecommerce/product-view',
      body: { user, items: [item] },
      status: 201,
    },
    {
      scope: 'ecommerce:write',
      method: 'POST',
      path: '/v1/events/ecommerce/add-to-cart',
      body: { user, items: [item] },
      status: 201,
    },
    {
      scope: 'ecommerce:write',
      method: 'POST',
      path: '/v1/events/ecommerce/purchase',
      body: { user, items: [item], order_id: 'o-1' },
      status: 201,
    },
    {
      scope: 'subscriptions:write',
      method: 'POST',
      path: '/v1/subscriptions',
      body: { user, channel: 'sms' },
      status: 201,
    },
    {
      scope: 'subscriptions:write',
      method: 'GET',
      path: `/v1/subscriptions?phone=${encodeURIComponent(phone)}`,
      status: 200,
    },
    {
      scope: 'subscriptions:write',
      method: 'POST',
      path: '/v1/subscriptions/unsubscribe',
      body: { user },
      status: 200,
    },
    {
      scope: 'attributes:write',
      method: 'POST',
      path: '/v1/attributes/custom',
      body: { user, properties: { tier: 'gold' } },
      status: 200,
    },
    {
      scope: 'privacy_requests:write',
      method: 'POST',
      path: '/v1/privacy-requests',
      body: { user },
      status: 201,
    },
  ];
}

forEachDialect('the protected API’s resources', (dialect) => {
  let porter: TestPorter;
  let full: Creds;
  let eventsOnly: Creds;
  let subscriptionsOnly: Creds;
  before(async () => {
    porter = await startPorter(dialect);
    full = await makeAppCredentials(porter, SEED_SCOPES, 'Full App');
    eventsOnly = await makeAppCredentials(porter, ['events:write'], 'Events App');
    subscriptionsOnly = await makeAppCredentials(porter, ['subscriptions:write'], 'Subs App');
  });
  after(() => porter.close());

  for (const kind of KINDS) {
    describe(`with an ${kind}`, () => {
      it('reaches every endpoint of each scope it holds', async () => {
        for (const c of scopeCases(newPhone())) {
          const res = await callApi(porter, c.method, c.path, full[kind].token, c.body);
          assert.equal(res.status, c.status, `${c.method} ${c.path}: ${JSON.stringify(res.body)}`);
        }
      });

      it('answers 403 insufficient_scope naming the scope it lacks, before reading the body', async () => {
        for (const c of scopeCases(newPhone())) {
          const lacking = c.scope === 'events:write' ? subscriptionsOnly : eventsOnly;
          const res = await callApi(porter, c.method, c.path, lacking[kind].token, c.body && { junk: true });
          assert.equal(res.status, 403, `${c.method} ${c.path}`);
          assert.equal(res.body.error, 'insufficient_scope');
          const challenge = res.headers.get('www-authenticate') ?? '';
          assert.match(challenge, /^Bearer realm="porter", error="insufficient_scope"/);
          assert.ok(challenge.endsWith(`scope="${c.scope}"`), challenge);
        }
      });
    });
  }

  it('keeps each company’s data to itself: the API key and the access token act on different companies', async () => {
    const phone = newPhone();
    const user = { phone };
    const mine = full.api_key.token;
    const theirs = full.access_token.token;
    const event = await callApi(porter, 'POST', '/v1/events/custom', mine, { type: 'Private', user });
    await callApi(porter, 'POST', '/v1/subscriptions', mine, { user, channel: 'sms' });
    const seen = await callApi(porter, 'GET', '/v1/events/custom?type=Private', theirs);
    assert.equal(seen.status, 200);
    assert.equal(
      seen.body.events.some((e: { id: string }) => e.id === event.body.id),
      false,
    );
    const subs = await callApi(porter, 'GET', `/v1/subscriptions?phone=${encodeURIComponent(phone)}`, theirs);
    assert.deepEqual(subs.body.subscriptions, []);
    const unsub = await callApi(porter, 'POST', '/v1/subscriptions/unsubscribe', theirs, { user });
    assert.equal(unsub.status, 404, 'another company’s subscriber is not found');
    const request = await callApi(porter, 'POST', '/v1/privacy-requests', theirs, { user });
    assert.equal(request.body.deleted.subscribers, 0, 'nor deleted');
    assert.equal((await callApi(porter, 'GET', `/v1/privacy-requests/${request.body.id}`, mine)).status, 404);
    await callApi(porter, 'POST', '/v1/attributes/custom', mine, { user, properties: { secret: 'a' } });
    const theirAttributes = await callApi(porter, 'POST', '/v1/attributes/custom', theirs, {
      user,
      properties: { other: 'b' },
    });
    assert.deepEqual(
      theirAttributes.body.attributes,
      { other: 'b' },
      'the same phone is another subscriber there',
    );
    const own = await callApi(porter, 'GET', `/v1/subscriptions?phone=${encodeURIComponent(phone)}`, mine);
    assert.equal(own.body.subscriptions.length, 1);
    assert.equal(own.body.subscriptions[0].status, 'subscribed');
  });

  it('checks the token before anything: 401 for a bad body without a token', async () => {
    const res = await callApi(porter, 'POST', '/v1/events/custom', undefined, { nonsense: 1 });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="porter"');
  });

  it('validates input: E.164 phones, emails, sizes and unknown fields, naming the field', async () => {
    const token = full.access_token.token;
    const bad = [
      { path: '/v1/events/custom', body: { type: 'X', user: { phone: '4155550100' } }, field: 'user' },
      { path: '/v1/events/custom', body: { type: 'X', user: {} }, field: 'user' },
      { path: '/v1/events/custom', body: { type: '', user: { email: 'a@b.example' } }, field: 'type' },
      { path: '/v1/events/custom', body: { type: 'X', user: { email: 'not-an-email' } }, field: 'user' },
      {
        path: '/v1/events/custom',
        body: { type: 'X', user: { email: 'a@b.example' }, extra: 1 },
        field: 'body',
      },
      {
        path: '/v1/events/custom',
        body: { type: 'X', user: { email: 'a@b.example' }, properties: { big: 'x'.repeat(9000) } },
        field: 'properties',
      },
      {
        path: '/v1/events/ecommerce/purchase',
        body: { user: { phone: '+14155550100' }, items: [] },
        field: 'items',
      },
      { path: '/v1/subscriptions', body: { user: { email: 'a@b.example' }, channel: 'sms' }, field: 'user' },
      {
        path: '/v1/attributes/custom',
        body: { user: { email: 'a@b.example' }, properties: { a: [1] } },
        field: 'properties',
      },
    ];
    for (const b of bad) {
      const res = await callApi(porter, 'POST', b.path, token, b.body);
      assert.equal(res.status, 400, `${b.path} ${JSON.stringify(b.body).slice(0, 80)}`);
      assert.equal(res.body.code, 'invalid_request');
      assert.ok(
        res.body.errors[b.field] || (b.field === 'body' && Object.keys(res.body.errors).length),
        JSON.stringify(res.body),
      );
    }
    for (const q of ['limit=0', 'limit=101', 'cursor=bm9wZQ', 'limit=abc']) {
      const res = await callApi(porter, 'GET', `/v1/events/custom?${q}`, token);
      assert.equal(res.status, 400, q);
    }
  });

  it('pages lists newest first with an opaque cursor, without overlap', async () => {
    const token = full.api_key.token;
    const type = `Paged ${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await callApi(porter, 'POST', '/v1/events/custom', token, {
        type,
        user: { external_id: `p-${i}` },
      });
      ids.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const after: string = cursor ? `&cursor=${cursor}` : '';
      const res = await callApi(
        porter,
        'GET',
        `/v1/events/custom?type=${encodeURIComponent(type)}&limit=2${after}`,
        token,
      );
      assert.equal(res.status, 200);
      assert.ok(res.body.events.length <= 2);
      seen.push(...res.body.events.map((e: { id: string }) => e.id));
      cursor = res.body.next_cursor;
      pages += 1;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...ids].reverse());
  });

  it('writes once per Idempotency-Key: a retry gets the first answer, another body is refused', async () => {
    const token = full.access_token.token;
    const key = { 'idempotency-key': `retry-${Date.now()}` };
    const body = { type: 'Retried', user: { phone: newPhone() }, properties: { n: 1 } };
    const first = await callApi(porter, 'POST', '/v1/events/custom', token, body, key);
    assert.equal(first.status, 201);
    const again = await callApi(porter, 'POST', '/v1/events/custom', token, body, key);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    const other = await callApi(
      porter,
      'POST',
      '/v1/events/custom',
      token,
      { ...body, properties: { n: 2 } },
      key,
    );
    assert.equal(other.status, 422);
    assert.equal(other.body.code, 'idempotency_key_reused');
    const elsewhere = await callApi(
      porter,
      'POST',
      '/v1/subscriptions',
      token,
      { user: body.user, channel: 'sms' },
      key,
    );
    assert.equal(elsewhere.status, 422, 'the same key on another endpoint is another request');
    const anotherApp = await callApi(porter, 'POST', '/v1/events/custom', full.api_key.token, body, key);
    assert.equal(anotherApp.status, 201);
    assert.notEqual(anotherApp.body.id, first.body.id, 'keys are kept per company and app');
    const list = await callApi(porter, 'GET', '/v1/events/custom?type=Retried', token);
    assert.equal(list.body.events.length, 1);
  });

  it('forgets an Idempotency-Key after its day', async () => {
    const token = full.api_key.token;
    const key = { 'idempotency-key': `day-${Date.now()}` };
    const body = { type: 'Daily', user: { external_id: `day-${Date.now()}` } };
    const first = await callApi(porter, 'POST', '/v1/events/custom', token, body, key);
    await porter.db
      .updateTable('idempotency_keys')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('key', '=', key['idempotency-key'])
      .execute();
    const later = await callApi(porter, 'POST', '/v1/events/custom', token, body, key);
    assert.equal(later.status, 201);
    assert.notEqual(later.body.id, first.body.id);
    assert.equal(later.headers.get('idempotent-replayed'), null);
  });

  it('writes once when the same Idempotency-Key arrives several times at once', async () => {
    const token = full.api_key.token;
    const key = { 'idempotency-key': `race-${Date.now()}` };
    const body = { user: { email: 'race@example.test' }, channel: 'email' };
    const all = await Promise.all(
      Array.from({ length: 5 }, () => callApi(porter, 'POST', '/v1/subscriptions', token, body, key)),
    );
    assert.deepEqual(new Set(all.map((r) => r.status)), new Set([201]));
    assert.equal(new Set(all.map((r) => r.body.id)).size, 1);
    assert.equal(all.filter((r) => r.headers.get('idempotent-replayed') !== 'true').length, 1);
  });

  it('subscribes, lists by phone or email, unsubscribes, and upserts attributes', async () => {
    const token = full.access_token.token;
    const user = { phone: newPhone(), email: `Sub${Date.now()}@Example.test` };
    await callApi(porter, 'POST', '/v1/subscriptions', token, { user, channel: 'sms' });
    await callApi(porter, 'POST', '/v1/subscriptions', token, {
      user,
      channel: 'email',
      type: 'transactional',
    });
    const byEmail = await callApi(
      porter,
      'GET',
      `/v1/subscriptions?email=${encodeURIComponent(user.email)}`,
      token,
    );
    assert.equal(byEmail.body.subscriptions.length, 2);
    assert.equal(byEmail.body.subscriptions[0].subscriber.email, user.email.toLowerCase());
    const off = await callApi(porter, 'POST', '/v1/subscriptions/unsubscribe', token, {
      user: { phone: user.phone },
      channel: 'sms',
    });
    assert.deepEqual(
      off.body.subscriptions.map((s: { status: string }) => s.status),
      ['unsubscribed'],
    );
    await callApi(porter, 'POST', '/v1/attributes/custom', token, {
      user,
      properties: { tier: 'gold', score: 3 },
    });
    const set = await callApi(porter, 'POST', '/v1/attributes/custom', token, {
      user,
      properties: { tier: null, vip: true },
    });
    assert.deepEqual(set.body.attributes, { score: 3, vip: true });
  });

  it('carries out a privacy deletion: the subscriber, its events, subscriptions, attributes and kept answers go', async () => {
    const token = full.api_key.token;
    const user = { phone: newPhone() };
    const key = { 'idempotency-key': `forget-${Date.now()}` };
    const event = { type: 'Forget Me', user };
    await callApi(porter, 'POST', '/v1/events/custom', token, event, key);
    await callApi(porter, 'POST', '/v1/events/ecommerce/purchase', token, { user, items: [item] });
    await callApi(porter, 'POST', '/v1/subscriptions', token, { user, channel: 'sms' });
    await callApi(porter, 'POST', '/v1/attributes/custom', token, { user, properties: { a: 1, b: 2 } });
    const made = await callApi(porter, 'POST', '/v1/privacy-requests', token, { user });
    assert.equal(made.status, 201);
    assert.deepEqual(made.body.deleted, { subscribers: 1, events: 2, subscriptions: 1, attributes: 2 });
    const read = await callApi(porter, 'GET', `/v1/privacy-requests/${made.body.id}`, token);
    assert.deepEqual(read.body, made.body);
    const rows = await porter.db
      .selectFrom('subscribers')
      .select('id')
      .where('phone', '=', user.phone)
      .execute();
    assert.deepEqual(rows, []);
    const events = await callApi(porter, 'GET', '/v1/events/custom?type=Forget%20Me', token);
    assert.deepEqual(events.body.events, []);
    const retried = await callApi(porter, 'POST', '/v1/events/custom', token, event, key);
    assert.equal(retried.headers.get('idempotent-replayed'), null, 'the kept answer about them went too');
    assert.equal((await callApi(porter, 'GET', '/v1/privacy-requests/prq_nope', token)).status, 404);
  });
});
