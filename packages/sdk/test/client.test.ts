import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../server/test/helpers/dialects.js';
import { makeAppCredentials, SEED_SCOPES } from '../../server/test/helpers/oauth.js';
import { makeUser, startPorter, type TestPorter } from '../../server/test/helpers/porter.js';
import { PorterApiError, PorterClient } from '../src/index.js';

forEachDialect('SDK client against a real Porter', (dialect) => {
  let porter: TestPorter;
  before(async () => {
    porter = await startPorter(dialect);
  });
  after(() => porter.close());

  it('reads /v1/me with an API key, and throws a typed error for a bad one', async () => {
    const { user, company } = await makeUser(porter);
    const actor = { kind: 'user' as const, userId: user.id, label: 'sdk test' };
    const { app, apiKey } = await porter.services.apps.create(actor, company.id, {
      name: 'SDK App',
      scopes: ['events:write'],
    });
    const me = await new PorterClient(porter.url, apiKey).me();
    assert.deepEqual(me, {
      application: { id: app.id, name: 'SDK App' },
      company: { id: company.id, name: company.name },
      scopes: ['events:write'],
      credential: 'api_key',
    });
    await assert.rejects(new PorterClient(porter.url, 'porter_ak_nope').me(), (err: unknown) => {
      assert.ok(err instanceof PorterApiError);
      assert.equal(err.status, 401);
      assert.equal(err.code, 'invalid_token');
      return true;
    });
  });

  it('calls every resource endpoint with its typed method, on the installing company only', async () => {
    const { access_token, customer } = await makeAppCredentials(porter, SEED_SCOPES, 'SDK Resources');
    const client = new PorterClient(porter.url, access_token.token);
    const user = { phone: '+14155550100', email: 'Ann@Example.com' };
    const event = await client.recordCustomEvent({ type: 'Signed Up', user, properties: { plan: 'pro' } });
    assert.equal(event.kind, 'custom');
    assert.equal(event.subscriber.email, 'ann@example.com');
    const listed = await client.listCustomEvents({ type: 'Signed Up', limit: 10 });
    assert.deepEqual(
      listed.events.map((e) => e.id),
      [event.id],
    );
    assert.equal(listed.next_cursor, null);
    const items = [{ product_id: 'sku-1', price: { value: 12.5, currency: 'USD' } }];
    assert.equal((await client.recordProductView({ user, items })).kind, 'product_view');
    assert.equal((await client.recordAddToCart({ user, items })).kind, 'add_to_cart');
    assert.equal((await client.recordPurchase({ user, items, order_id: 'o-1' })).kind, 'purchase');
    const sub = await client.subscribe({ user, channel: 'sms' });
    assert.equal(sub.status, 'subscribed');
    const subs = await client.listSubscriptions({ phone: user.phone });
    assert.deepEqual(
      subs.subscriptions.map((x) => x.id),
      [sub.id],
    );
    const unsubscribed = await client.unsubscribe({ user, channel: 'sms' });
    assert.equal(unsubscribed.subscriptions[0]?.status, 'unsubscribed');
    const attrs = await client.setAttributes({ user, properties: { tier: 'gold', vip: true } });
    assert.deepEqual(attrs.attributes, { tier: 'gold', vip: true });
    const request = await client.createPrivacyRequest({ user: { email: user.email } });
    assert.equal(request.deleted.subscribers, 1);
    assert.deepEqual(await client.getPrivacyRequest(request.id), request);
    assert.equal((await client.me()).company.id, customer.company.id);
  });

  it('sends one Idempotency-Key per write, and the same key given twice writes once', async () => {
    const { access_token } = await makeAppCredentials(porter, ['events:write'], 'SDK Keys');
    const keys: string[] = [];
    const recording: typeof fetch = (input, init) => {
      keys.push(new Headers(init?.headers).get('idempotency-key') ?? '');
      return fetch(input, init);
    };
    const client = new PorterClient(porter.url, access_token.token, { fetch: recording });
    const input = { type: 'Clicked', user: { external_id: 'crm-1' } };
    const a = await client.recordCustomEvent(input);
    const b = await client.recordCustomEvent(input);
    assert.notEqual(a.id, b.id);
    assert.equal(new Set(keys).size, 2);
    assert.match(keys[0] ?? '', /^[0-9a-f-]{36}$/);
    const c = await client.recordCustomEvent(input, { idempotencyKey: 'order-7' });
    const d = await client.recordCustomEvent(input, { idempotencyKey: 'order-7' });
    assert.equal(c.id, d.id);
    assert.equal((await client.listCustomEvents()).events.length, 3);
  });

  it('throws PorterApiError with the code for a missing scope and a refused body', async () => {
    const { access_token } = await makeAppCredentials(porter, ['events:write'], 'SDK Errors');
    const client = new PorterClient(porter.url, access_token.token);
    await assert.rejects(
      client.subscribe({ user: { phone: '+14155550100' }, channel: 'sms' }),
      (err: unknown) => {
        assert.ok(err instanceof PorterApiError);
        assert.deepEqual([err.status, err.code], [403, 'insufficient_scope']);
        return true;
      },
    );
    await assert.rejects(client.recordCustomEvent({ type: '', user: {} }), (err: unknown) => {
      assert.ok(err instanceof PorterApiError);
      assert.deepEqual([err.status, err.code], [400, 'invalid_request']);
      return true;
    });
  });
});
