import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDialect } from '../../server/test/helpers/dialects.js';
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
});
